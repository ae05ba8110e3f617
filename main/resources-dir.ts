import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The app's `resources/` folder (manifests, samples, the k3d CUDA Dockerfile): found by walking
 * up from this module, which sits at different depths from source (main/), the built CLI
 * (out/main/chunks) and a packaged app (inside app.asar beside out/). SLIPWAY_RESOURCES overrides it.
 */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SLIPWAY_RESOURCES) return env.SLIPWAY_RESOURCES;
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources', 'manifests');
    if (fs.existsSync(candidate)) return (cached = path.dirname(candidate));
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('resources/manifests not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The folder holding resources/, i.e. the checkout or the app root. */
export function appRootDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.dirname(resourcesDir(env));
}

/**
 * Tool binaries shipped with the app. A packaged app has them outside the asar archive (they
 * must be executable) in `<resources>/bin`; a checkout keeps them in resources/bin/<os>-<arch>.
 */
export function bundledBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'bin'))) return path.join(packaged, 'bin');
  return path.join(resourcesDir(env), 'bin', `${process.platform}-${process.arch}`);
}
