import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerCli } from '../clusters/docker-cli';

/** The repository of the adapter's image; its tag is the binary's digest, so a rebuilt binary is a new image. */
export const METRICS_ADAPTER_IMAGE_REPO = 'slipway/metrics-adapter';

async function digestOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 12);
}

/**
 * The metrics adapter as a container image in the local Docker, built from the binary Slipway
 * has (bundled or from the build cache) when it is not there yet: `FROM scratch`, the static
 * binary, nothing else. No registry holds it, so clusters get it by `kind load`.
 */
export async function ensureMetricsAdapterImage(docker: DockerCli, binary: string, signal?: AbortSignal): Promise<string> {
  const image = `${METRICS_ADAPTER_IMAGE_REPO}:${await digestOf(binary)}`;
  if (await docker.imageExists(image, signal)) return image;
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-adapter-image-'));
  try {
    fs.copyFileSync(binary, path.join(context, 'slipway-metrics-adapter'));
    fs.chmodSync(path.join(context, 'slipway-metrics-adapter'), 0o755);
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY slipway-metrics-adapter /slipway-metrics-adapter\nENTRYPOINT ["/slipway-metrics-adapter"]\n');
    await docker.run(['build', '-q', '-t', image, context], { signal, timeoutMs: 180_000 });
    return image;
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}
