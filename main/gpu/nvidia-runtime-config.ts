import fs from 'node:fs/promises';

export const NVIDIA_RUNTIME_CONFIG = '/etc/nvidia-container-runtime/config.toml';
export const VOLUME_MOUNTS_KEY = 'accept-nvidia-visible-devices-as-volume-mounts';

/** Where the NVIDIA container runtime's config lives (SLIPWAY_NVIDIA_RUNTIME_CONFIG overrides it). */
export function nvidiaRuntimeConfigPath(env: NodeJS.ProcessEnv): string {
  return env.SLIPWAY_NVIDIA_RUNTIME_CONFIG || NVIDIA_RUNTIME_CONFIG;
}

/**
 * Whether config.toml sets `accept-nvidia-visible-devices-as-volume-mounts = true` at top level
 * (before any [table]); commented lines do not count. Returns null when the file is missing.
 */
export function acceptsVolumeMounts(toml: string): boolean {
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line.startsWith('[')) return false;
    const match = new RegExp(`^"?${VOLUME_MOUNTS_KEY}"?\\s*=\\s*(\\w+)`).exec(line);
    if (match) return match[1] === 'true';
  }
  return false;
}

export async function readRuntimeConfig(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}
