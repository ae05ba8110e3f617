import { stringify } from 'yaml';
import path from 'node:path';
import { METRICS_ADAPTER_COMPONENT, type PortOption } from './kwok-ports';
import { RESOURCE_LOAD_ANNOTATIONS } from '../../../shared/models/metric-knobs';

/**
 * The load knob of simulated workloads: a pod annotation holding the CPU each container of the
 * pod uses (a quantity such as `400m`). kwok turns it into kubelet-style metrics, metrics-server
 * scrapes them, and the real HPA controller scales on them. Put it in a Deployment's pod
 * template; changing it rolls the pods, as a new load pattern would.
 */
export const LOAD_ANNOTATION = RESOURCE_LOAD_ANNOTATIONS.cpu;
/** Memory twin of {@link LOAD_ANNOTATION} (a quantity such as `512Mi`). */
export const MEMORY_LOAD_ANNOTATION = RESOURCE_LOAD_ANNOTATIONS.memory;

/** kwok's own usage annotations, kept working so kwok's documentation applies unchanged. */
const KWOK_CPU_ANNOTATION = 'kwok.x-k8s.io/usage-cpu';
const KWOK_MEMORY_ANNOTATION = 'kwok.x-k8s.io/usage-memory';

function usageExpression(ours: string, kwoks: string, fallback: string): string {
  const read = (key: string) => `Quantity(pod.metadata.annotations["${key}"])`;
  return `"${ours}" in pod.metadata.annotations ? ${read(ours)} : "${kwoks}" in pod.metadata.annotations ? ${read(kwoks)} : Quantity("${fallback}")`;
}

export interface KwokConfigOptions {
  /** How often the HPA controller re-evaluates (kube-controller-manager flag); snappy for demos. */
  hpaSyncPeriod?: string;
  /** Host ports picked by Slipway (see kwok-ports); kwokctl probes for any left out. */
  ports?: Partial<Record<PortOption, number>>;
  /**
   * Runs Slipway's custom/external metrics API as one more component (on `ports.metricsAdapterPort`):
   * its binary, and the cluster's folder, where kwokctl writes the kubeconfig and certificates it uses.
   */
  metricsAdapter?: { binary: string; clusterDir: string };
}

/**
 * The adapter as a kwokctl component: started, stopped and logged (logs/slipway-metrics-adapter.log)
 * with the cluster, on loopback, with the cluster's admin credentials as metrics-server has them.
 */
function metricsAdapterComponent(binary: string, clusterDir: string, port: number) {
  const kubeconfig = path.join(clusterDir, 'kubeconfig.yaml');
  return {
    name: METRICS_ADAPTER_COMPONENT,
    binary,
    links: ['kube-apiserver'],
    // kwokctl opens logs/<binary name>.log relative to the component's folder.
    workDir: clusterDir,
    args: [
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      `--lister-kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--tls-cert-file=${path.join(clusterDir, 'pki/admin.crt')}`,
      `--tls-private-key-file=${path.join(clusterDir, 'pki/admin.key')}`,
      // A CRD installed later (a custom workload an Object metric names) is found within 30 s.
      '--discovery-interval=30s',
    ],
    ports: [{ name: 'https', port }],
  };
}

/**
 * The `--config` file given to `kwokctl create cluster`: a KwokctlConfiguration plus the
 * ClusterResourceUsage that reads the load knob. Components listen on 127.0.0.1 only (kwokctl's
 * default is every interface), so a simulated cluster is never reachable from the network.
 *
 * No Stage documents: kwokctl's default stages already take pods to Running and pods owned by a
 * Job to Succeeded, so Jobs complete. Giving any Stage would replace all of them.
 */
export function kwokctlConfig(options: KwokConfigOptions = {}): string {
  const { metricsAdapterPort, ...kwokctlPorts } = options.ports ?? {};
  const adapter = options.metricsAdapter;
  if (adapter && metricsAdapterPort === undefined) throw new Error('The metrics adapter needs ports.metricsAdapterPort.');
  const documents = [
    {
      apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
      kind: 'KwokctlConfiguration',
      options: { bindAddress: '127.0.0.1', ...kwokctlPorts },
      ...(adapter ? { components: [metricsAdapterComponent(adapter.binary, adapter.clusterDir, metricsAdapterPort!)] } : {}),
      componentsPatches: [
        {
          name: 'kube-controller-manager',
          extraArgs: [{ key: 'horizontal-pod-autoscaler-sync-period', value: options.hpaSyncPeriod ?? '5s' }],
        },
        {
          // metrics-server's minimum; kwokctl's 15 s makes every HPA reaction slower.
          name: 'metrics-server',
          extraArgs: [
            { key: 'metric-resolution', value: '10s', override: true },
            // It must stay under 90 % of the resolution; kwok answers from memory anyway.
            { key: 'kubelet-request-timeout', value: '5s' },
          ],
        },
      ],
    },
    {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterResourceUsage',
      metadata: { name: 'slipway-load-knob' },
      spec: {
        usages: [
          {
            usage: {
              cpu: { expression: usageExpression(LOAD_ANNOTATION, KWOK_CPU_ANNOTATION, '1m') },
              memory: { expression: usageExpression(MEMORY_LOAD_ANNOTATION, KWOK_MEMORY_ANNOTATION, '1Mi') },
            },
          },
        ],
      },
    },
  ];
  return documents.map((d) => stringify(d)).join('---\n');
}
