import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import versions from '../../scripts/k8s-versions.json';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The versions pinned in scripts/k8s-versions.json: k3d, and the k3s tag it defaults to. */
export const K3D_VERSION = versions.k3d;
export const K3D_DEFAULT_K3S = versions.k3dK3s;
/** The real k3d, built from the Go module proxy by scripts/k3d-build.sh. */
export const REAL_K3D = path.join(process.env.SLIPWAY_K3D_CACHE ?? path.join(root, '.cache/k3d'), K3D_VERSION, 'k3d');

/** Locally a missing build prints SKIPPED; under CI=true it fails. */
export function requireRealK3d(suite: string): boolean {
  if (fs.existsSync(REAL_K3D)) return true;
  const message = `${suite}: needs the real k3d binary at ${REAL_K3D} — run \`npm run k3d:build\``;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}
