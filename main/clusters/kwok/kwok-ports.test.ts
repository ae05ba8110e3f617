import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isPortFree } from '../port-check';
import { kwokctlConfig } from './kwok-config';
import { pickFreePorts, readPorts, withMovedPorts } from './kwok-ports';

// The shape kwokctl saves for a binary-runtime cluster (clusters/<name>/kwok.yaml), cut down.
const saved = `apiVersion: config.kwok.x-k8s.io/v1alpha1
components:
- args:
  - --data-dir=/w/clusters/demo/etcd
  - --listen-peer-urls=http://127.0.0.1:32766
  - --listen-client-urls=http://127.0.0.1:32765
  - --initial-cluster=node0=http://127.0.0.1:32766
  metric:
    host: 127.0.0.1:32765
  name: etcd
  ports:
  - name: peer-http
    port: 32766
  - name: http
    port: 32765
- args:
  - --etcd-servers=http://127.0.0.1:32765
  - --secure-port=32764
  name: kube-apiserver
  ports:
  - name: https
    port: 32764
- args:
  - --node-port=32763
  - --server-address=127.0.0.1:32763
  name: kwok-controller
kind: KwokctlConfiguration
options:
  etcdPeerPort: 32766
  etcdPort: 32765
  kubeApiserverPort: 32764
  kwokControllerPort: 32763
  kubeControllerManagerPort: 32762
  kubeSchedulerPort: 32761
  nodeStatusUpdateFrequencyMilliseconds: 32764
  kubeVersion: v1.34.4
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: pod-ready
spec:
  delay:
    durationMilliseconds: 32764
    note: "port=32764"
`;

describe('kwok.yaml ports', () => {
  it('reads the ports a saved cluster uses', () => {
    expect(readPorts(saved)).toEqual({ etcdPeerPort: 32766, etcdPort: 32765, kubeApiserverPort: 32764, kwokControllerPort: 32763, kubeControllerManagerPort: 32762, kubeSchedulerPort: 32761 });
    expect(readPorts('kind: Stage\n')).toEqual({});
    expect(readPorts('')).toEqual({});
  });

  it('moves ports in the options, the components’ ports, args and metric hosts, and nowhere else', () => {
    const moved = withMovedPorts(saved, new Map([[32764, 31000], [32765, 31001]]));
    const [config, stage] = parseAllDocuments(moved).map((d) => d.toJS());
    expect(config.options).toMatchObject({ etcdPort: 31001, kubeApiserverPort: 31000, etcdPeerPort: 32766, nodeStatusUpdateFrequencyMilliseconds: 32764 });
    const [etcd, apiserver, kwok] = config.components;
    expect(etcd.args).toEqual(['--data-dir=/w/clusters/demo/etcd', '--listen-peer-urls=http://127.0.0.1:32766', '--listen-client-urls=http://127.0.0.1:31001', '--initial-cluster=node0=http://127.0.0.1:32766']);
    expect(etcd.metric.host).toBe('127.0.0.1:31001');
    expect(etcd.ports.map((p: { port: number }) => p.port)).toEqual([32766, 31001]);
    expect(apiserver.args).toEqual(['--etcd-servers=http://127.0.0.1:31001', '--secure-port=31000']);
    expect(apiserver.ports[0].port).toBe(31000);
    expect(kwok.args).toEqual(['--node-port=32763', '--server-address=127.0.0.1:32763']);
    // Other documents are not kwokctl's configuration: untouched, as is the document separator.
    expect(stage.spec.delay).toEqual({ durationMilliseconds: 32764, note: 'port=32764' });
    expect(moved).toContain('\n---\n');
    expect(readPorts(moved).kubeApiserverPort).toBe(31000);
  });

  it('changes nothing without moves', () => {
    expect(withMovedPorts(saved, new Map())).toBe(saved);
  });
});

describe('free ports', () => {
  it('sees a port someone listens on as taken', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await isPortFree(port)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await isPortFree(port)).toBe(true);
  });

  it('picks from the top down, skipping ports to avoid and ports in use', async () => {
    const inUse = new Set([32765, 32762]);
    const picked = await pickFreePorts(3, new Set([32766, 32763]), async (p) => !inUse.has(p));
    expect(picked).toEqual([32764, 32761, 32760]);
  });

  it('says so when there are not enough', async () => {
    await expect(pickFreePorts(2, new Set(), async () => false)).rejects.toThrow('Only 0 of 2 free ports');
  });
});

describe('the metrics adapter’s port', () => {
  // Slipway's adapter is a component of its own: its port is in its `ports`, not in the options.
  const withAdapter = kwokctlConfig({ ports: { kubeApiserverPort: 32764, metricsAdapterPort: 32759 }, metricsAdapter: { binary: '/b/slipway-metrics-adapter', clusterDir: '/w/clusters/demo' } });

  it('is read from the component and never written as a kwokctl option', () => {
    const config = parseAllDocuments(withAdapter)[0]!.toJS();
    expect(config.options).toEqual({ bindAddress: '127.0.0.1', kubeApiserverPort: 32764 });
    expect(readPorts(withAdapter)).toEqual({ kubeApiserverPort: 32764, metricsAdapterPort: 32759 });
  });

  it('moves with its serving flag', () => {
    const moved = withMovedPorts(withAdapter, new Map([[32759, 31500]]));
    const adapter = parseAllDocuments(moved)[0]!.toJS().components[0];
    expect(adapter.ports).toEqual([{ name: 'https', port: 31500 }]);
    expect(adapter.args).toContain('--secure-port=31500');
    expect(readPorts(moved).metricsAdapterPort).toBe(31500);
  });
});
