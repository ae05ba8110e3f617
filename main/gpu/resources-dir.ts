import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The `resources/` folder: found by walking up from this module, which lives at different depths
 * in a checkout (main/gpu), the built CLI (out/main/chunks) and a packaged app. SLIPWAY_RESOURCES
 * overrides it.
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
