/**
 * `--push` / the Push images button: for each image the profile rewrites away from a laptop-only
 * registry, `docker tag SOURCE TARGET` and `docker push TARGET`, with the push's own lines as
 * progress. Pure parsing of those lines is split out for tests.
 */
import type { TaskProgress } from '../../shared/contract/define';
import { AppError } from '../../shared/errors';
import type { PushedImage } from '../../shared/models/promote';
import type { DockerCli } from '../clusters/docker-cli';
import type { ImageRewrite } from './image-registry-checks';
import { withoutDigest } from './registry-ref';

/** What one line of `docker push` says: a layer it started or finished, or the pushed digest. */
export function parsePushLine(line: string): { layer?: string; done?: boolean; digest?: string } {
  const digest = /(?:^|\s)digest: (sha256:[a-f0-9]{64})\b/.exec(line);
  if (digest) return { digest: digest[1] };
  const layer = /^([a-f0-9]{12,64}): (.*)$/.exec(line.trim());
  if (!layer) return {};
  return { layer: layer[1], done: /^(Pushed|Layer already exists|Mounted from)/.test(layer[2]!) };
}

export interface PushIo {
  progress(update: TaskProgress): void;
  signal: AbortSignal;
}

/**
 * Tags and pushes every rewrite, one after the other (a push saturates the uplink anyway).
 * Stops at the first failure with the tool's last lines; a source missing locally is NOT_FOUND
 * before anything is pushed.
 */
export async function pushImages(docker: DockerCli, rewrites: ImageRewrite[], io: PushIo): Promise<PushedImage[]> {
  if (rewrites.length === 0) return [];
  await docker.requireDaemon(io.signal);
  for (const { source } of rewrites) {
    if (!(await docker.imageExists(source, io.signal))) {
      throw new AppError('NOT_FOUND', `The image ${source} is not in the local Docker image store, so it cannot be pushed.`, {
        fix: `Build or pull it first (\`docker pull ${source}\` or \`docker build -t ${source} .\`), then push again.`,
      });
    }
  }
  const pushed: PushedImage[] = [];
  for (const [i, { source, target }] of rewrites.entries()) {
    const destination = withoutDigest(target);
    const share = 100 / rewrites.length;
    const base = Math.round(i * share);
    io.progress({ phase: `Pushing ${destination}`, percent: base, message: `docker tag ${source} ${destination}`, log: [`docker tag ${source} ${destination}`] });
    await docker.run(['tag', source, destination], { signal: io.signal, timeoutMs: 30_000, label: 'docker tag' });
    const layers = new Map<string, boolean>();
    let digest: string | undefined;
    await docker.run(['push', destination], {
      signal: io.signal,
      label: `docker push ${destination}`,
      fix: `Check that you may push to ${destination.split('/')[0]} (\`docker login ${destination.split('/')[0]}\`) and that it is reachable, then push again.`,
      onLine: (line) => {
        const parsed = parsePushLine(line);
        if (parsed.digest) digest = parsed.digest;
        if (parsed.layer) layers.set(parsed.layer, (layers.get(parsed.layer) ?? false) || Boolean(parsed.done));
        const done = [...layers.values()].filter(Boolean).length;
        const within = layers.size ? done / layers.size : 0;
        io.progress({ phase: `Pushing ${destination}`, percent: Math.min(99, base + Math.round(share * within)), message: line, log: [line] });
      },
    });
    pushed.push({ source, target: destination, ...(digest ? { digest } : {}) });
  }
  io.progress({ phase: 'Pushed', percent: 100, message: `${pushed.length} image(s) pushed` });
  return pushed;
}
