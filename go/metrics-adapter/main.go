// Command slipway-metrics-adapter serves custom.metrics.k8s.io and external.metrics.k8s.io for
// Slipway's clusters from values Slipway sets (see knob.go), so the real HPA controller scales on
// Pods, Object and External metrics where no Prometheus runs. It is built on
// sigs.k8s.io/custom-metrics-apiserver and registered as an aggregated API like metrics-server.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	apimeta "k8s.io/apimachinery/pkg/api/meta"

	"k8s.io/component-base/logs"
	"k8s.io/klog/v2"
	basecmd "sigs.k8s.io/custom-metrics-apiserver/pkg/cmd"
)

func main() {
	logs.InitLogs()
	defer logs.FlushLogs()

	adapter := &basecmd.AdapterBase{Name: "slipway-metrics-adapter"}
	logs.AddFlags(adapter.Flags())
	if err := adapter.Flags().Parse(os.Args); err != nil {
		klog.Fatalf("flags: %v", err)
	}
	client, err := adapter.DynamicClient()
	if err != nil {
		klog.Fatalf("a client for the cluster: %v", err)
	}
	mapper := waitForMapper(adapter, 3*time.Minute)
	knobs := newKnobProvider(client, mapper)
	adapter.WithCustomMetrics(knobs)
	adapter.WithExternalMetrics(knobs)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	klog.Info("serving custom.metrics.k8s.io and external.metrics.k8s.io from Slipway's knobs")
	if err := adapter.Run(ctx); err != nil {
		klog.Fatalf("serving: %v", err)
	}
}

// waitForMapper reads the cluster's resources, waiting for the API server: kwokctl starts every
// component at once, so the adapter may be up before the server it serves for.
func waitForMapper(adapter *basecmd.AdapterBase, timeout time.Duration) apimeta.RESTMapper {
	deadline := time.Now().Add(timeout)
	for {
		mapper, err := adapter.RESTMapper()
		if err == nil {
			return mapper
		}
		if time.Now().After(deadline) {
			klog.Fatalf("the cluster's resources: %v", err)
		}
		klog.V(1).Infof("waiting for the API server: %v", err)
		time.Sleep(500 * time.Millisecond)
	}
}
