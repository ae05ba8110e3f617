import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kwokctlConfig, LOAD_ANNOTATION } from './kwok-config';
import { createClusterArgs, formatKwokctlLine, parseKwokctlLine, progressOf } from './kwokctl';

const bins = { etcd: '/b/etcd', kubeApiserver: '/b/kube-apiserver', kubeControllerManager: '/b/kcm', kubeScheduler: '/b/ks', kwok: '/b/kwok', kubectl: '/b/kubectl' };

describe('kwokctl arguments', () => {
  it('passes every binary explicitly and merges into the given kubeconfig', () => {
    const args = createClusterArgs('demo', bins, '/home/u/.kube/config', '/tmp/c.yaml');
    expect(args.slice(0, 6)).toEqual(['create', 'cluster', '--name', 'demo', '--runtime', 'binary']);
    for (const [flag, value] of [
      ['--config', '/tmp/c.yaml'],
      ['--etcd-binary', '/b/etcd'],
      ['--kube-apiserver-binary', '/b/kube-apiserver'],
      ['--kube-controller-manager-binary', '/b/kcm'],
      ['--kube-scheduler-binary', '/b/ks'],
      ['--kwok-controller-binary', '/b/kwok'],
      ['--kubeconfig', '/home/u/.kube/config'],
      ['--wait', '2m'],
    ]) {
      expect(args[args.indexOf(flag!) + 1]).toBe(value);
    }
    expect(args).not.toContain('--enable');
  });

  it('enables metrics-server only with its binary', () => {
    const args = createClusterArgs('demo', { ...bins, metricsServer: '/b/ms' }, '/k', '/c');
    expect(args.join(' ')).toContain('--enable metrics-server --metrics-server-binary /b/ms');
  });
});

describe('kwokctl output', () => {
  const line = (msg: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ time: '2026-11-28T23:17:26Z', level: 'INFO', source: { function: 'x' }, msg, cluster: 'demo', ...extra });

  it('turns milestones into rising progress in named phases', () => {
    const percents = ['Cluster is creating', 'Cluster is created', 'Cluster is starting', 'Cluster is started', 'Load resources', 'Waiting for cluster to be ready', 'Cluster is ready'].map(
      (msg) => progressOf(parseKwokctlLine(line(msg)))!,
    );
    expect(percents.map((p) => p.percent)).toEqual([...percents.map((p) => p.percent)].sort((a, b) => a - b));
    expect(percents[0]!.phase).toBe('Starting control plane');
    expect(percents.at(-1)!.phase).toBe('Waiting for the API server');
    expect(progressOf(parseKwokctlLine(line('Something else')))).toBeNull();
  });

  it('formats lines for people, with elapsed time and errors', () => {
    expect(formatKwokctlLine(parseKwokctlLine(line('Cluster is started', { elapsed: { human: '2.05s' } })))).toBe('Cluster is started (2.05s)');
    expect(formatKwokctlLine(parseKwokctlLine(JSON.stringify({ level: 'ERROR', msg: 'Failed to start', err: 'exit status 1' })))).toBe('ERROR Failed to start: exit status 1');
    expect(parseKwokctlLine('plain error text').level).toBe('ERROR');
  });
});

describe('kwokctl config', () => {
  it('binds to loopback, tunes the HPA controller and reads the load knob', () => {
    const docs = parseAllDocuments(kwokctlConfig({ hpaSyncPeriod: '3s' })).map((d) => d.toJS());
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({ kind: 'KwokctlConfiguration', options: { bindAddress: '127.0.0.1' } });
    expect(docs[0].componentsPatches[1]).toEqual({ name: 'metrics-server', extraArgs: [
        { key: 'metric-resolution', value: '10s', override: true },
        { key: 'kubelet-request-timeout', value: '5s' },
      ],
    });
    expect(docs[0].componentsPatches[0]).toEqual({ name: 'kube-controller-manager', extraArgs: [{ key: 'horizontal-pod-autoscaler-sync-period', value: '3s' }] });
    expect(docs[1].kind).toBe('ClusterResourceUsage');
    const cpu: string = docs[1].spec.usages[0].usage.cpu.expression;
    expect(cpu).toContain(`"${LOAD_ANNOTATION}" in pod.metadata.annotations`);
    expect(cpu).toContain('kwok.x-k8s.io/usage-cpu');
    // No Stage documents: they would replace kwokctl's defaults (which complete Job pods).
    expect(docs.some((d) => d.kind === 'Stage')).toBe(false);
  });

  it('runs the metrics adapter as a component on loopback with the cluster’s own credentials', () => {
    const [config] = parseAllDocuments(kwokctlConfig({ ports: { metricsAdapterPort: 31999 }, metricsAdapter: { binary: '/b/slipway-metrics-adapter', clusterDir: '/w/clusters/demo' } })).map((d) => d.toJS());
    expect(config.components).toEqual([
      {
        name: 'slipway-metrics-adapter',
        binary: '/b/slipway-metrics-adapter',
        links: ['kube-apiserver'],
        workDir: '/w/clusters/demo',
        args: [
          '--secure-port=31999',
          '--bind-address=127.0.0.1',
          '--lister-kubeconfig=/w/clusters/demo/kubeconfig.yaml',
          '--authentication-kubeconfig=/w/clusters/demo/kubeconfig.yaml',
          '--authorization-kubeconfig=/w/clusters/demo/kubeconfig.yaml',
          '--tls-cert-file=/w/clusters/demo/pki/admin.crt',
          '--tls-private-key-file=/w/clusters/demo/pki/admin.key',
          '--discovery-interval=30s',
        ],
        ports: [{ name: 'https', port: 31999 }],
      },
    ]);
    expect(() => kwokctlConfig({ metricsAdapter: { binary: '/b/a', clusterDir: '/w' } })).toThrow(/metricsAdapterPort/);
    expect(parseAllDocuments(kwokctlConfig())[0]!.toJS().components).toBeUndefined();
  });
});
