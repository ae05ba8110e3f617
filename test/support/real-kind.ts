import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const versions = JSON.parse(fs.readFileSync(path.join(root, 'scripts/k8s-versions.json'), 'utf8')) as { kind: string };

/** The version pinned in scripts/k8s-versions.json. */
export const KIND_VERSION = versions.kind;
/** The real kind, built from the Go module proxy by scripts/kind-build.sh. */
export const REAL_KIND = path.join(process.env.SLIPWAY_KIND_CACHE ?? path.join(root, '.cache/kind'), KIND_VERSION, 'kind');

/** Locally a missing build prints SKIPPED; under CI=true it fails. */
export function requireRealKind(suite: string): boolean {
  if (fs.existsSync(REAL_KIND)) return true;
  const message = `${suite}: needs the real kind binary at ${REAL_KIND} — run \`npm run kind:build\``;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}

/**
 * The demo's queue sample (resources/samples/inference-queue) as a kubectl List for a real kind
 * cluster: its Deployment's requests and its HPA verbatim, in `namespace`; only the worker's image
 * is the locally built busybox (no registry is reachable here), idling instead of serving.
 */
export function queueSampleOnBusybox(namespace: string, busybox: string): string {
  const text = fs.readFileSync(path.join(root, 'resources/samples/inference-queue/queue-worker.yaml'), 'utf8');
  const items = parseAllDocuments(text).map((d) => d.toJSON() as { kind: string; metadata: { namespace?: string }; spec: any });
  for (const object of items) object.metadata.namespace = namespace;
  const worker = items.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
  Object.assign(worker, { image: busybox, imagePullPolicy: 'Never', command: ['sh', '-c', 'sleep 3600'] });
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
