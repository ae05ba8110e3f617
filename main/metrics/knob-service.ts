import { AppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import {
  EXTERNAL_SERIES_CONFIGMAP,
  EXTERNAL_SERIES_KEY,
  METRIC_ANNOTATION_PREFIX,
  METRIC_KNOB_FIELD_MANAGER,
  METRIC_SINCE_ANNOTATION_PREFIX,
  assertMetricName,
  checkKnobValue,
  parseSeriesList,
  seriesName,
  withSeries,
  type KnobView,
  type LoadResource,
  type ResourceLoad,
  RESOURCE_LOAD_ANNOTATIONS,
  RESOURCE_LOAD_FIELD_MANAGER,
  loadResourceOf,
  parseResourceLoad,
  type SetKnobRequest,
  type SetKnobResult,
} from '../../shared/models/metric-knobs';
import { quantityOrZero } from '../../shared/k8s/quantity';
import { asArray, asRecord } from '../views/common';
import type { KubeClient } from '../kube/kube-client';
import { ResourceMapper } from '../kube/resources/resource-mapper';
import { getLive, serverSideApply } from '../kube/resources/server-side-apply';

interface ObjectList {
  items: KubeObject[];
}

/**
 * Sets and lists the knobs Slipway's metrics adapter serves (see shared/models/metric-knobs):
 * annotations on pods and other objects, and external series in a ConfigMap. Writes are
 * server-side applies by their own field manager, so a knob never takes a field the user's own
 * manifests own, and removing a knob removes exactly what it wrote.
 */
export class MetricKnobService {
  private readonly mappers = new Map<string, ResourceMapper>();

  constructor(
    private readonly clientFor: (context: string) => Promise<KubeClient>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async set(request: SetKnobRequest, signal?: AbortSignal): Promise<SetKnobResult> {
    // Every face gets the same checks (the CLI parsed already; the GUI sends what was typed).
    assertMetricName(request.metric);
    const resource = loadResourceOf(request.metric);
    const load = resource && request.value.trim() !== '' ? parseResourceLoad(resource, request.value) : undefined;
    const value = request.value.trim() === '' || resource ? '' : checkKnobValue(request.value);
    const client = await this.clientFor(request.context);
    const mapper = this.mapperFor(request.context, client);
    if (resource) return this.setResourceLoad(client, mapper, request, resource, load, signal);
    const setAt = this.now().toISOString();
    const { target, metric } = request;
    const shown = value === '' ? 'removed' : `= ${value}`;
    if (target.type === 'external') {
      const series = { name: metric, ...(Object.keys(target.labels).length > 0 ? { labels: target.labels } : {}), value, ...(target.replicasOf ? { replicasOf: target.replicasOf } : {}), setAt };
      await this.writeSeries(client, mapper, request.namespace, series, signal);
      const name = `series ${seriesName(series)}`;
      return { wrote: [name], message: `${name} ${shown} in ${request.namespace} (configmap ${EXTERNAL_SERIES_CONFIGMAP}).` };
    }
    const objects = await this.targets(client, mapper, request, signal);
    for (const object of objects) await this.annotate(client, mapper, object, metric, value, setAt, signal);
    const wrote = objects.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`);
    const what = wrote.length === 1 ? wrote[0]! : `${wrote.length} pods`;
    return { wrote, message: `${metric} ${shown} on ${what} in ${request.namespace}.` };
  }

  /**
   * The knobs of a namespace (all namespaces when omitted): annotations on pods, Deployments,
   * StatefulSets and Services — where knobs go — and the resource loads of pod templates, first;
   * then the external series.
   */
  async list(context: string, namespace?: string, signal?: AbortSignal): Promise<KnobView[]> {
    const client = await this.clientFor(context);
    const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    const kinds = [
      { path: `/api/v1${scope}/pods`, kind: 'Pod' },
      { path: `/apis/apps/v1${scope}/deployments`, kind: 'Deployment' },
      { path: `/apis/apps/v1${scope}/statefulsets`, kind: 'StatefulSet' },
      { path: `/api/v1${scope}/services`, kind: 'Service' },
    ];
    const views: KnobView[] = [];
    for (const { path, kind } of kinds) {
      const list = (await client.request<ObjectList>({ path, signal })).body;
      for (const object of list.items) {
        const annotations = object.metadata.annotations ?? {};
        for (const [key, value] of Object.entries(annotations)) {
          if (!key.startsWith(METRIC_ANNOTATION_PREFIX)) continue;
          const metric = key.slice(METRIC_ANNOTATION_PREFIX.length);
          const setAt = annotations[METRIC_SINCE_ANNOTATION_PREFIX + metric];
          views.push({ metric, value, on: `${kind}/${object.metadata.name}`, namespace: object.metadata.namespace ?? '', ...(setAt ? { setAt } : {}) });
        }
        const templateAnnotations = asRecord(asRecord(asRecord(asRecord(object.spec).template).metadata).annotations);
        for (const [resource, key] of Object.entries(RESOURCE_LOAD_ANNOTATIONS)) {
          const value = templateAnnotations[key];
          if (typeof value === 'string') views.push({ metric: resource, value, on: `${kind}/${object.metadata.name} (pod template)`, namespace: object.metadata.namespace ?? '' });
        }
      }
    }
    const configMaps = (await client.request<ObjectList>({ path: `/api/v1${scope}/configmaps`, query: { fieldSelector: `metadata.name=${EXTERNAL_SERIES_CONFIGMAP}` }, signal })).body;
    for (const cm of configMaps.items) {
      const ns = cm.metadata.namespace ?? '';
      const data = (cm as KubeObject & { data?: Record<string, string> }).data;
      for (const s of parseSeriesList(data?.[EXTERNAL_SERIES_KEY], `configmap ${ns}/${EXTERNAL_SERIES_CONFIGMAP}`)) {
        views.push({ metric: s.name, value: s.value, on: 'external', namespace: ns, ...(s.labels ? { labels: s.labels } : {}), ...(s.replicasOf ? { replicasOf: s.replicasOf } : {}), ...(s.setAt ? { setAt: s.setAt } : {}) });
      }
    }
    return views;
  }

  /**
   * Sets (or, without a load, removes) the simulated CPU or memory use of a workload's pods in
   * its pod template, by its own field manager; a percentage becomes a quantity per container
   * from the containers' requests, which is what the HPA's utilization divides by.
   */
  private async setResourceLoad(client: KubeClient, mapper: ResourceMapper, request: SetKnobRequest, resource: LoadResource, load: ResourceLoad | undefined, signal?: AbortSignal): Promise<SetKnobResult> {
    if (request.target.type !== 'object') {
      throw new AppError('INVALID_ARGUMENT', `${resource} load is set on a workload, in its pod template.`, { fix: `Name the workload: slipway metrics set ${resource}=150% --object deploy/NAME` });
    }
    const [live] = await this.targets(client, mapper, request, signal);
    const template = asRecord(asRecord(live!.spec).template);
    const containers = asArray(asRecord(template.spec).containers).map(asRecord);
    const what = `${live!.kind}/${live!.metadata.name}`;
    if (containers.length === 0) throw new AppError('INVALID_ARGUMENT', `${what} has no pod template with containers.`, { fix: 'Set a resource load on a Deployment, StatefulSet, ReplicaSet or DaemonSet.' });
    let quantity = '';
    if (load && 'quantity' in load) quantity = load.quantity;
    else if (load) {
      const requested = containers.reduce((sum, c) => sum + quantityOrZero(asRecord(asRecord(c.resources).requests)[resource]), 0);
      if (requested <= 0) {
        throw new AppError('INVALID_ARGUMENT', `${what} requests no ${resource}, so ${load.percent}% of its request is nothing.`, { fix: `Give its containers a ${resource} request, or set a quantity (${resource === 'cpu' ? '900m' : '512Mi'}).` });
      }
      // Each container uses the annotated amount: the pod's use over its request is the share asked for.
      const perContainer = (requested * load.percent) / 100 / containers.length;
      quantity = resource === 'cpu' ? `${Math.round(perContainer * 1000)}m` : `${Math.round(perContainer / 2 ** 20)}Mi`;
    }
    const key = RESOURCE_LOAD_ANNOTATIONS[resource];
    // The other resource's load, where this manager set it: an apply states all the manager wants.
    const kept = Object.fromEntries(Object.entries(asRecord(asRecord(template.metadata).annotations)).filter(([k]) => k !== key && Object.values(RESOURCE_LOAD_ANNOTATIONS).includes(k as never) && this.ownsTemplateAnnotation(live!, k)));
    const annotations = { ...kept, ...(quantity ? { [key]: quantity } : {}) };
    await serverSideApply(
      client,
      mapper,
      { apiVersion: live!.apiVersion, kind: live!.kind, metadata: { name: live!.metadata.name, namespace: live!.metadata.namespace }, spec: { template: { metadata: { annotations } } } } as KubeObject,
      { fieldManager: RESOURCE_LOAD_FIELD_MANAGER, force: true, signal },
    );
    const share = load && 'percent' in load ? ` (${load.percent}% of its request)` : '';
    const message = quantity
      ? `${resource} load ${quantity} per container${share} on ${what.toLowerCase()} in ${request.namespace}: its pods roll to take it.`
      : `${resource} load removed from ${what.toLowerCase()} in ${request.namespace}.`;
    return { wrote: [what.toLowerCase()], message };
  }

  /** Whether {@link RESOURCE_LOAD_FIELD_MANAGER} owns a pod template annotation of `object`. */
  private ownsTemplateAnnotation(object: KubeObject, key: string): boolean {
    const managed = (object.metadata.managedFields as { manager?: string; fieldsV1?: unknown }[] | undefined) ?? [];
    const fields = managed.find((m) => m.manager === RESOURCE_LOAD_FIELD_MANAGER)?.fieldsV1;
    const annotations = asRecord(asRecord(asRecord(asRecord(asRecord(fields)['f:spec'])['f:template'])['f:metadata'])['f:annotations']);
    return `f:${key}` in annotations;
  }

  private mapperFor(context: string, client: KubeClient): ResourceMapper {
    let mapper = this.mappers.get(context);
    if (!mapper) {
      mapper = new ResourceMapper(client);
      this.mappers.set(context, mapper);
    }
    return mapper;
  }

  /** The live objects a request names: one object, one pod, or the pods a selector matches now. */
  private async targets(client: KubeClient, mapper: ResourceMapper, request: SetKnobRequest, signal?: AbortSignal): Promise<KubeObject[]> {
    const { target, namespace, context } = request;
    if (target.type === 'pods') {
      const list = (await client.request<ObjectList>({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`, query: { labelSelector: target.selector }, signal })).body;
      if (list.items.length === 0) {
        throw new AppError('NOT_FOUND', `No pod in ${namespace} matches ${target.selector}.`, { fix: 'Check the selector; to set every pod of a workload, now and later, use --object deploy/NAME.' });
      }
      return list.items;
    }
    if (target.type === 'external') throw new AppError('INTERNAL', 'An external series is not on an object.');
    const { group, kind, name } = target.type === 'pod' ? { group: '', kind: 'Pod', name: target.name } : target;
    const { apiVersion, resource } = await mapper.requireGroupKind(group, kind, signal);
    const live = await getLive(client, mapper, { apiVersion, kind, namespace: resource.namespaced ? namespace : undefined, name }, { signal });
    if (!live) throw new AppError('NOT_FOUND', `${kind}/${name} is not in ${namespace} of ${context}.`, { fix: 'A knob is set on an object that exists; create it first.' });
    return [live];
  }

  private async annotate(client: KubeClient, mapper: ResourceMapper, object: KubeObject, metric: string, value: string, setAt: string, signal?: AbortSignal): Promise<void> {
    // Applying without the annotations (value '') gives up exactly the fields this manager wrote.
    const annotations = value === '' ? {} : { [METRIC_ANNOTATION_PREFIX + metric]: value, [METRIC_SINCE_ANNOTATION_PREFIX + metric]: setAt };
    const others = this.otherKnobs(object, metric);
    await serverSideApply(
      client,
      mapper,
      { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace, annotations: { ...others, ...annotations } } },
      { fieldManager: METRIC_KNOB_FIELD_MANAGER, force: true, signal },
    );
  }

  /**
   * The other knobs this manager set on the object: an apply states everything the manager
   * wants, so leaving them out would remove them.
   */
  private otherKnobs(object: KubeObject, metric: string): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const [key, value] of Object.entries(object.metadata.annotations ?? {})) {
      const own = key.startsWith(METRIC_ANNOTATION_PREFIX) || key.startsWith(METRIC_SINCE_ANNOTATION_PREFIX);
      if (own && key !== METRIC_ANNOTATION_PREFIX + metric && key !== METRIC_SINCE_ANNOTATION_PREFIX + metric) kept[key] = value;
    }
    return kept;
  }

  /**
   * Read, change one series, write back with the resourceVersion read: a write that raced
   * another (two `slipway metrics set` at once) is refused by the server and done again.
   */
  private async writeSeries(client: KubeClient, mapper: ResourceMapper, namespace: string, series: Parameters<typeof withSeries>[1], signal?: AbortSignal): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: EXTERNAL_SERIES_CONFIGMAP };
    for (let attempt = 1; ; attempt++) {
      const live = (await getLive(client, mapper, ref, { signal })) as (KubeObject & { data?: Record<string, string> }) | null;
      const list = withSeries(parseSeriesList(live?.data?.[EXTERNAL_SERIES_KEY], `configmap ${namespace}/${EXTERNAL_SERIES_CONFIGMAP}`), series);
      const metadata = { name: EXTERNAL_SERIES_CONFIGMAP, namespace, labels: { 'app.kubernetes.io/managed-by': 'slipway' }, ...(live?.metadata.resourceVersion ? { resourceVersion: live.metadata.resourceVersion } : {}) };
      try {
        await serverSideApply(client, mapper, { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [EXTERNAL_SERIES_KEY]: JSON.stringify(list, null, 2) } } as KubeObject, {
          fieldManager: METRIC_KNOB_FIELD_MANAGER,
          force: true,
          signal,
        });
        return;
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'CONFLICT') || attempt >= 3) throw error;
      }
    }
  }
}
