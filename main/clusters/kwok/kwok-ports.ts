import { isMap, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import { isPortFree } from '../port-check';

/**
 * The host ports of a binary-runtime cluster, in the order Slipway assigns them: kwokctl's
 * options, and the metrics adapter's (its component's port, see below). The kube-apiserver's is
 * the one in the kubeconfig.
 */
export const PORT_OPTIONS = ['etcdPeerPort', 'etcdPort', 'kubeApiserverPort', 'kwokControllerPort', 'kubeControllerManagerPort', 'kubeSchedulerPort', 'metricsServerPort', 'metricsAdapterPort'] as const;
export type PortOption = (typeof PORT_OPTIONS)[number];

/**
 * Slipway's metrics adapter is a component of its own in kwok.yaml (kwokctl has no option for
 * it): its port lives in that component's `ports`, and is read and moved like the options' ones.
 */
export const METRICS_ADAPTER_COMPONENT = 'slipway-metrics-adapter';

/** What each port is for, as a person reads it in a note. */
export const PORT_OWNERS: Record<PortOption, string> = {
  etcdPeerPort: 'etcd (peer)',
  etcdPort: 'etcd',
  kubeApiserverPort: 'kube-apiserver',
  kwokControllerPort: 'kwok',
  kubeControllerManagerPort: 'kube-controller-manager',
  kubeSchedulerPort: 'kube-scheduler',
  metricsServerPort: 'metrics-server',
  metricsAdapterPort: 'slipway-metrics-adapter',
};

/** Where kwokctl starts probing for free ports (it walks down from here); Slipway picks the same way. */
const HIGHEST_PORT = 32766;
const LOWEST_PORT = 10000;

function kwokctlConfiguration(docs: Document[]): Document | undefined {
  return docs.find((d) => isMap(d.contents) && d.get('kind') === 'KwokctlConfiguration');
}

/** The ports a cluster's saved kwok.yaml assigns, by option; empty when the text is not one. */
export function readPorts(kwokYaml: string): Partial<Record<PortOption, number>> {
  const config = kwokctlConfiguration(parseAllDocuments(kwokYaml) as Document[]);
  const options = config?.get('options');
  const ports: Partial<Record<PortOption, number>> = {};
  const isPort = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;
  if (!isMap(options)) return ports;
  for (const key of PORT_OPTIONS) {
    const value = options.get(key);
    if (isPort(value)) ports[key] = value;
  }
  const components = config?.toJS()?.components as { name?: string; ports?: { port?: unknown }[] }[] | undefined;
  const adapterPort = components?.find((c) => c?.name === METRICS_ADAPTER_COMPONENT)?.ports?.[0]?.port;
  if (isPort(adapterPort)) ports.metricsAdapterPort = adapterPort;
  return ports;
}

/**
 * The saved kwok.yaml of a stopped cluster with some ports moved (`moves`: old port → new port):
 * the options, every component's `ports`, and every `:PORT` / `=PORT` in its args and metric
 * hosts. kwokctl starts a stopped cluster from exactly these saved components, so this is all a
 * restart on other ports needs. Other documents (stages, resource usages) are kept as they are.
 */
export function withMovedPorts(kwokYaml: string, moves: ReadonlyMap<number, number>): string {
  const docs = parseAllDocuments(kwokYaml) as Document[];
  const config = kwokctlConfiguration(docs);
  if (!config || moves.size === 0) return kwokYaml;
  const portPattern = /(?<=[:=])(\d{2,5})(?!\d)/g;
  visit(config, {
    Pair(_, pair) {
      // Numeric ports: options.<x>Port and components[].ports[].port / hostPort.
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && /port$/i.test(pair.key.value) && isScalar(pair.value) && typeof pair.value.value === 'number') {
        const moved = moves.get(pair.value.value);
        if (moved !== undefined) pair.value.value = moved;
      }
    },
    Scalar(_, scalar) {
      if (typeof scalar.value !== 'string' || !/[:=]\d/.test(scalar.value)) return;
      scalar.value = scalar.value.replace(portPattern, (text) => String(moves.get(Number(text)) ?? text));
    },
  });
  // kwokctl writes sequences unindented; keep its style so a diff of the file shows only the ports.
  return docs.map((d) => d.toString({ indentSeq: false })).join('');
}

/**
 * `count` free ports, highest first from 32766 down (where kwokctl looks), skipping `avoid`: the
 * ports other clusters in the workdir keep while stopped, so a new cluster never takes them.
 */
export async function pickFreePorts(count: number, avoid: ReadonlySet<number>, isFree: (port: number) => Promise<boolean> = isPortFree): Promise<number[]> {
  const picked: number[] = [];
  for (let port = HIGHEST_PORT; port >= LOWEST_PORT && picked.length < count; port--) {
    if (avoid.has(port)) continue;
    if (await isFree(port)) picked.push(port);
  }
  if (picked.length < count) throw new Error(`Only ${picked.length} of ${count} free ports were found between ${LOWEST_PORT} and ${HIGHEST_PORT}.`);
  return picked;
}

