package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
	"k8s.io/metrics/pkg/apis/custom_metrics"
	"k8s.io/metrics/pkg/apis/external_metrics"
	"sigs.k8s.io/custom-metrics-apiserver/pkg/provider"
)

// External series live in one ConfigMap per namespace (the namespace of the HPA asking), as a
// JSON list under seriesKey. `slipway metrics set 'queue_depth{queue=inference}=…'` writes it.
const (
	seriesConfigMap = "slipway-external-metrics"
	seriesKey       = "series.json"
)

// externalSeries is one External metric series: a name, its labels and a knob.
type externalSeries struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
	Value  string            `json:"value"`
	// ReplicasOf names the workload whose replica count is `replicas` in Value, as Kind.group/NAME
	// ("Deployment.apps/inference"; "Pod/web-1" for the core group).
	ReplicasOf string `json:"replicasOf,omitempty"`
	// SetAt is when the value was set (RFC 3339): the origin of `t` in Value.
	SetAt string `json:"setAt,omitempty"`
}

var podsResource = schema.GroupResource{Resource: "pods"}

// knobProvider serves custom metrics from knob annotations and external metrics from the
// series ConfigMap, reading the cluster on every request: the HPA controller asks every few
// seconds, and a simulated cluster answers from memory.
type knobProvider struct {
	client dynamic.Interface
	mapper apimeta.RESTMapper
	knobs  *knobCache
	clock  *sinceClock

	mu       sync.Mutex
	custom   map[provider.CustomMetricInfo]struct{}
	external map[string]struct{}
}

func newKnobProvider(client dynamic.Interface, mapper apimeta.RESTMapper) *knobProvider {
	return &knobProvider{
		client:   client,
		mapper:   mapper,
		knobs:    newKnobCache(),
		clock:    newSinceClock(time.Now),
		custom:   map[provider.CustomMetricInfo]struct{}{},
		external: map[string]struct{}{},
	}
}

// resourceFor resolves a group-resource ("pods", "deployments.apps") to a full resource.
func (p *knobProvider) resourceFor(gr schema.GroupResource) (schema.GroupVersionResource, error) {
	return p.mapper.ResourceFor(gr.WithVersion(""))
}

func (p *knobProvider) resourceInterface(gvr schema.GroupVersionResource, namespace string) dynamic.ResourceInterface {
	if namespace == "" {
		return p.client.Resource(gvr)
	}
	return p.client.Resource(gvr).Namespace(namespace)
}

// GetMetricByName serves an Object metric (or one pod's Pods metric).
func (p *knobProvider) GetMetricByName(ctx context.Context, name types.NamespacedName, info provider.CustomMetricInfo, metricSelector labels.Selector) (*custom_metrics.MetricValue, error) {
	gvr, err := p.resourceFor(info.GroupResource)
	if err != nil {
		return nil, provider.NewMetricNotFoundError(info.GroupResource, info.Metric)
	}
	obj, err := p.resourceInterface(gvr, name.Namespace).Get(ctx, name.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, provider.NewMetricNotFoundForError(info.GroupResource, info.Metric, name.Name)
	}
	if err != nil {
		return nil, err
	}
	replicas := replicasOf(obj)
	if info.GroupResource == podsResource {
		replicas = p.activeSiblings(ctx, obj)
	}
	value, found, err := p.objectValue(ctx, obj, info.Metric, replicas, ownerCache{})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, notServed(fmt.Sprintf("%s %s/%s has no %s%s annotation; set one with `slipway metrics set %s=VALUE --context … --object KIND/%s`", info.GroupResource, name.Namespace, name.Name, metricPrefix, info.Metric, info.Metric, name.Name))
	}
	p.remember(info)
	return value, nil
}

// GetMetricBySelector serves a Pods metric (or an Object metric for several objects).
func (p *knobProvider) GetMetricBySelector(ctx context.Context, namespace string, selector labels.Selector, info provider.CustomMetricInfo, metricSelector labels.Selector) (*custom_metrics.MetricValueList, error) {
	gvr, err := p.resourceFor(info.GroupResource)
	if err != nil {
		return nil, provider.NewMetricNotFoundError(info.GroupResource, info.Metric)
	}
	list, err := p.resourceInterface(gvr, namespace).List(ctx, metav1.ListOptions{LabelSelector: selector.String()})
	if err != nil {
		return nil, err
	}
	isPods := info.GroupResource == podsResource
	// `replicas` of a pod is the number of active pods its controller has among those asked for.
	active := map[types.UID]int{}
	if isPods {
		for i := range list.Items {
			if isActivePod(&list.Items[i]) {
				active[controllerUID(&list.Items[i])]++
			}
		}
	}
	out := &custom_metrics.MetricValueList{}
	// The pods of one workload share their ReplicaSet and Deployment: each is fetched once per request.
	owners := ownerCache{}
	for i := range list.Items {
		obj := &list.Items[i]
		replicas := replicasOf(obj)
		if isPods {
			if !isActivePod(obj) {
				continue
			}
			replicas = active[controllerUID(obj)]
		}
		value, found, err := p.objectValue(ctx, obj, info.Metric, replicas, owners)
		if err != nil {
			return nil, err
		}
		if found {
			out.Items = append(out.Items, *value)
		}
	}
	if len(out.Items) == 0 {
		return nil, notServed(fmt.Sprintf("no %s matching {%s} in namespace %s has a %s%s annotation (nor its controller); set one with `slipway metrics set %s=VALUE --context … --selector …`", info.GroupResource, selector, namespace, metricPrefix, info.Metric, info.Metric))
	}
	p.remember(info)
	return out, nil
}

// objectValue reads the knob of an object: its own annotation, or for a pod the first
// controller up its owner chain (ReplicaSet, then Deployment) that has one, so one annotation on
// a Deployment sets the value of all its pods without rolling them.
func (p *knobProvider) objectValue(ctx context.Context, obj *unstructured.Unstructured, metric string, replicas int, owners ownerCache) (*custom_metrics.MetricValue, bool, error) {
	holder := obj
	for depth := 0; depth < 4 && holder != nil; depth++ {
		annotations := holder.GetAnnotations()
		if source, ok := annotations[metricPrefix+metric]; ok {
			k, err := p.knobs.compile(source)
			if err != nil {
				return nil, false, err
			}
			key := string(holder.GetUID()) + "/" + metric + "=" + source
			value, err := k.value(replicas, p.clock.since(key, annotations[sincePrefix+metric]))
			if err != nil {
				return nil, false, err
			}
			return &custom_metrics.MetricValue{
				DescribedObject: custom_metrics.ObjectReference{
					Kind:       obj.GetKind(),
					APIVersion: obj.GetAPIVersion(),
					Namespace:  obj.GetNamespace(),
					Name:       obj.GetName(),
				},
				Metric:        custom_metrics.MetricIdentifier{Name: metric},
				Timestamp:     metav1.Now(),
				WindowSeconds: ptr(int64(60)),
				Value:         value,
			}, true, nil
		}
		if obj.GetKind() != "Pod" {
			break
		}
		holder = p.controllerOf(ctx, holder, owners)
	}
	return nil, false, nil
}

// ownerCache holds the controllers one request has fetched, by UID (nil: not found).
type ownerCache map[types.UID]*unstructured.Unstructured

// controllerOf fetches the controller owning obj (once per request), or nil.
func (p *knobProvider) controllerOf(ctx context.Context, obj *unstructured.Unstructured, owners ownerCache) *unstructured.Unstructured {
	ref := metav1.GetControllerOf(obj)
	if ref == nil {
		return nil
	}
	if owner, seen := owners[ref.UID]; seen {
		return owner
	}
	owner := p.fetchController(ctx, obj.GetNamespace(), ref)
	owners[ref.UID] = owner
	return owner
}

func (p *knobProvider) fetchController(ctx context.Context, namespace string, ref *metav1.OwnerReference) *unstructured.Unstructured {
	gv, err := schema.ParseGroupVersion(ref.APIVersion)
	if err != nil {
		return nil
	}
	mapping, err := p.mapper.RESTMapping(schema.GroupKind{Group: gv.Group, Kind: ref.Kind}, gv.Version)
	if err != nil {
		return nil
	}
	owner, err := p.client.Resource(mapping.Resource).Namespace(namespace).Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	return owner
}

// activeSiblings counts the active pods sharing pod's controller (1 for a pod on its own).
func (p *knobProvider) activeSiblings(ctx context.Context, pod *unstructured.Unstructured) int {
	owner := metav1.GetControllerOf(pod)
	if owner == nil {
		return 1
	}
	list, err := p.client.Resource(schema.GroupVersionResource{Version: "v1", Resource: "pods"}).Namespace(pod.GetNamespace()).List(ctx, metav1.ListOptions{})
	if err != nil {
		return 1
	}
	count := 0
	for i := range list.Items {
		if controllerUID(&list.Items[i]) == owner.UID && isActivePod(&list.Items[i]) {
			count++
		}
	}
	return max(count, 1)
}

// GetExternalMetric serves the series of the namespace's ConfigMap whose name is the metric's
// and whose labels match the selector; the HPA controller sums them.
func (p *knobProvider) GetExternalMetric(ctx context.Context, namespace string, metricSelector labels.Selector, info provider.ExternalMetricInfo) (*external_metrics.ExternalMetricValueList, error) {
	series, err := p.seriesIn(ctx, namespace)
	if err != nil {
		return nil, err
	}
	out := &external_metrics.ExternalMetricValueList{}
	for _, s := range series {
		if s.Name != info.Metric || !metricSelector.Matches(labels.Set(s.Labels)) {
			continue
		}
		k, err := p.knobs.compile(s.Value)
		if err != nil {
			return nil, err
		}
		replicas := 0
		if s.ReplicasOf != "" {
			replicas, err = p.workloadReplicas(ctx, namespace, s.ReplicasOf)
			if err != nil {
				return nil, err
			}
		}
		key := namespace + "/" + s.Name + labels.Set(s.Labels).String() + "=" + s.Value
		value, err := k.value(replicas, p.clock.since(key, s.SetAt))
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, external_metrics.ExternalMetricValue{
			MetricName:   s.Name,
			MetricLabels: s.Labels,
			Timestamp:    metav1.Now(),
			Value:        value,
		})
	}
	if len(out.Items) == 0 {
		return nil, notServed(fmt.Sprintf("no external series %s matching {%s} in configmap %s/%s; set one with `slipway metrics set '%s{…}=VALUE' --context …`", info.Metric, metricSelector, namespace, seriesConfigMap, info.Metric))
	}
	p.mu.Lock()
	p.external[info.Metric] = struct{}{}
	p.mu.Unlock()
	return out, nil
}

func (p *knobProvider) seriesIn(ctx context.Context, namespace string) ([]externalSeries, error) {
	cm, err := p.client.Resource(schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}).Namespace(namespace).Get(ctx, seriesConfigMap, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	text, _, _ := unstructured.NestedString(cm.Object, "data", seriesKey)
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var series []externalSeries
	if err := json.Unmarshal([]byte(text), &series); err != nil {
		return nil, fmt.Errorf("configmap %s/%s: %s is not a JSON list of series: %v", namespace, seriesConfigMap, seriesKey, err)
	}
	return series, nil
}

// workloadReplicas reads the replica count of "Kind.group/NAME" (status.replicas, else spec.replicas).
func (p *knobProvider) workloadReplicas(ctx context.Context, namespace, ref string) (int, error) {
	kindGroup, name, ok := strings.Cut(ref, "/")
	if !ok || kindGroup == "" || name == "" {
		return 0, fmt.Errorf("replicasOf %q is not Kind.group/NAME", ref)
	}
	kind, group, _ := strings.Cut(kindGroup, ".")
	mapping, err := p.mapper.RESTMapping(schema.GroupKind{Group: group, Kind: kind})
	if err != nil {
		return 0, fmt.Errorf("replicasOf %q: %v", ref, err)
	}
	obj, err := p.client.Resource(mapping.Resource).Namespace(namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return 0, fmt.Errorf("replicasOf %q: %v", ref, err)
	}
	return replicasOf(obj), nil
}

func (p *knobProvider) remember(info provider.CustomMetricInfo) {
	p.mu.Lock()
	p.custom[info] = struct{}{}
	p.mu.Unlock()
}

// ListAllMetrics lists the custom metrics served so far, for discovery.
func (p *knobProvider) ListAllMetrics() []provider.CustomMetricInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]provider.CustomMetricInfo, 0, len(p.custom))
	for info := range p.custom {
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// ListAllExternalMetrics lists the external metrics served so far, for discovery.
func (p *knobProvider) ListAllExternalMetrics() []provider.ExternalMetricInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]provider.ExternalMetricInfo, 0, len(p.external))
	for name := range p.external {
		out = append(out, provider.ExternalMetricInfo{Metric: name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Metric < out[j].Metric })
	return out
}

func replicasOf(obj *unstructured.Unstructured) int {
	if n, found, _ := unstructured.NestedInt64(obj.Object, "status", "replicas"); found {
		return int(n)
	}
	if n, found, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas"); found {
		return int(n)
	}
	return 1
}

func controllerUID(obj *unstructured.Unstructured) types.UID {
	if ref := metav1.GetControllerOf(obj); ref != nil {
		return ref.UID
	}
	return obj.GetUID()
}

func isActivePod(obj *unstructured.Unstructured) bool {
	if obj.GetDeletionTimestamp() != nil {
		return false
	}
	phase, _, _ := unstructured.NestedString(obj.Object, "status", "phase")
	return phase != "Succeeded" && phase != "Failed"
}

// notServed is the 404 an HPA shows in its condition when no knob gives the metric, saying how to set one.
func notServed(message string) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: 404, Reason: metav1.StatusReasonNotFound, Message: message}}
}

func ptr[T any](v T) *T { return &v }

var _ provider.MetricsProvider = (*knobProvider)(nil)
