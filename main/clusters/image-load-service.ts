import { AppError } from '../../shared/errors';
import type { ImageLoadRequest, ImageLoadResult } from '../../shared/models/images';
import type { DockerCli } from './docker-cli';
import type { K3dCli } from './k3d/k3d-cli';
import type { KindCli } from './kind/kind-cli';
import type { ProviderIo } from './provider';

/** k3d image import's INFO lines, in order, and how far along each one is. */
const K3D_STEPS: [RegExp, number][] = [
  [/Importing image\(s\) into cluster/, 10],
  [/Saving \d+ image\(s\) from runtime/, 20],
  [/Importing images into nodes/, 60],
  [/Removing the tarball/, 90],
  [/Successfully imported/, 100],
];

/**
 * Puts a local Docker image into a kind or k3d cluster's nodes (`kind load docker-image`,
 * `k3d image import`), so pods can use it without a registry. CUDA images are many GB: progress
 * follows the tools' own per-node and per-step lines.
 */
export class ImageLoadService {
  constructor(
    private readonly kind: KindCli,
    private readonly k3d: K3dCli,
    private readonly docker: DockerCli,
  ) {}

  async load(request: ImageLoadRequest, io: ProviderIo): Promise<ImageLoadResult> {
    io.progress({ phase: 'Checking image', percent: 2, log: [`docker image inspect ${request.image}`] });
    const inspect = await this.docker.run(['image', 'inspect', request.image, '--format', '{{.Size}}'], { allowFailure: true, signal: io.signal, timeoutMs: 30_000 });
    if (inspect.exitCode !== 0) {
      throw new AppError('NOT_FOUND', `The image ${request.image} is not in the local Docker image store.`, {
        fix: `Pull or build it first: \`docker pull ${request.image}\`.`,
        details: { tail: inspect.tail },
      });
    }
    const provider = request.provider ?? (await this.findProvider(request.cluster, io.signal));
    if (provider === 'kind') {
      const nodes = await this.kind.nodes(request.cluster, io.signal);
      if (nodes.length === 0) throw new AppError('NOT_FOUND', `No kind cluster named "${request.cluster}".`, { fix: 'Run `slipway cluster list` to see the clusters.' });
      let done = 0;
      io.progress({ phase: `Loading into ${nodes.length} node${nodes.length === 1 ? '' : 's'}`, percent: 5, log: [`kind load docker-image ${request.image} --name ${request.cluster}`] });
      await this.kind.run(['load', 'docker-image', request.image, '--name', request.cluster], {
        signal: io.signal,
        label: 'kind load docker-image',
        onLine: (line) => {
          if (/loading\.\.\.$/.test(line)) done++;
          io.progress({ phase: `Loading into ${nodes.length} node${nodes.length === 1 ? '' : 's'}`, percent: Math.min(95, 5 + Math.round((90 * done) / nodes.length)), log: [line] });
        },
      });
      io.progress({ phase: 'Loaded', percent: 100 });
      return { image: request.image, cluster: request.cluster, provider, nodes };
    }
    let percent = 5;
    io.progress({ phase: 'Importing', percent, log: [`k3d image import ${request.image} --cluster ${request.cluster}`] });
    await this.k3d.run(['image', 'import', request.image, '--cluster', request.cluster], {
      signal: io.signal,
      label: 'k3d image import',
      onLine: (line) => {
        percent = K3D_STEPS.find(([re]) => re.test(line))?.[1] ?? percent;
        io.progress({ phase: 'Importing', percent: Math.min(percent, 99), log: [line] });
      },
    });
    io.progress({ phase: 'Loaded', percent: 100 });
    const cluster = (await this.k3d.clusters(io.signal)).find((c) => c.name === request.cluster);
    return { image: request.image, cluster: request.cluster, provider, nodes: (cluster?.nodes ?? []).filter((n) => n.role !== 'loadbalancer').map((n) => n.name) };
  }

  private async findProvider(cluster: string, signal: AbortSignal): Promise<'kind' | 'k3d'> {
    // One after the other: a missing tool is just an empty list, and the calls stay in a fixed order.
    const kind = await this.kind.clusters(signal).catch(() => [] as string[]);
    const k3d = await this.k3d.clusters(signal).then((list) => list.map((c) => c.name), () => [] as string[]);
    if (kind.includes(cluster) && k3d.includes(cluster)) {
      throw new AppError('INVALID_ARGUMENT', `Both kind and k3d have a cluster named "${cluster}".`, { fix: 'Say which with --provider kind or --provider k3d.' });
    }
    if (kind.includes(cluster)) return 'kind';
    if (k3d.includes(cluster)) return 'k3d';
    throw new AppError('NOT_FOUND', `No kind or k3d cluster named "${cluster}".`, { fix: 'Run `slipway cluster list` to see the clusters (simulated clusters cannot load images).' });
  }
}
