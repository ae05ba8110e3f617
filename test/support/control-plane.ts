import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The pinned control-plane versions (scripts/k8s-versions.json). */
export const K8S_VERSIONS = JSON.parse(readFileSync(path.join(root, 'scripts/k8s-versions.json'), 'utf8')) as {
  kubernetes: string;
  etcd: string;
  kwok: string;
  metricsServer: string;
};

/** Where `npm run k8s:build` puts the binaries. */
export const CONTROL_PLANE_BIN = path.join(process.env.SLIPWAY_K8S_CACHE ?? path.join(root, '.cache/k8s'), K8S_VERSIONS.kubernetes, 'bin');

export const CONTROL_PLANE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok', 'kwokctl', 'metrics-server', 'slipway-metrics-adapter'] as const;

export function missingControlPlaneBinaries(): string[] {
  return CONTROL_PLANE_BINARIES.filter((b) => !existsSync(path.join(CONTROL_PLANE_BIN, b)));
}

/**
 * Whether suites that need real API servers can run. Locally a missing build prints an explicit
 * SKIPPED line; under CI=true it is a failure, never a silent skip.
 */
export function requireControlPlane(suite: string): boolean {
  const missing = missingControlPlaneBinaries();
  if (missing.length === 0) return true;
  const message = `${suite}: needs the control-plane binaries (${missing.join(', ')}) — run \`npm run k8s:build\``;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}
