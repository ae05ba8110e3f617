import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REAL_KIND } from './real-kind';
import { existsSync } from 'node:fs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a suite needs to create real kind clusters: a Docker that answers, real kind, the node image. */
export interface RealKindSetup {
  /** The offline node image (scripts/kind-image/build.sh). */
  image: string;
  /** DOCKER_HOST of the daemon to use (the private test daemon under `npm test`). */
  dockerHost: string;
  /** PATH with the real kind's folder first, then the system's (docker, iptables…). */
  path: string;
}

function dockerAnswers(dockerHost: string): boolean {
  return spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { env: { ...process.env, DOCKER_HOST: dockerHost }, encoding: 'utf8', timeout: 20_000 }).status === 0;
}

/** The node image: SLIPWAY_KIND_NODE_IMAGE (set by `npm test`), else the cached build, else none. */
function nodeImage(dockerHost: string): string | undefined {
  if (process.env.SLIPWAY_KIND_NODE_IMAGE) return process.env.SLIPWAY_KIND_NODE_IMAGE;
  const check = spawnSync('bash', [path.join(root, 'scripts/kind-image/build.sh'), '--check'], { env: { ...process.env, DOCKER_HOST: dockerHost }, encoding: 'utf8' });
  return check.status === 0 ? check.stdout.trim().split('\n').pop() : undefined;
}

/**
 * Whether suites that create real kind clusters can run, and with what. Locally a missing piece
 * prints an explicit SKIPPED line naming the command that provides it; under CI=true it throws.
 */
export function requireRealKindCluster(suite: string): RealKindSetup | null {
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let missing: string | undefined;
  if (!existsSync(REAL_KIND)) missing = `the real kind binary at ${REAL_KIND} — run \`npm run kind:build\``;
  else if (!dockerAnswers(dockerHost)) missing = `a Docker daemon at ${dockerHost} — run \`bash test/support/docker/test-docker.sh start\` and export the DOCKER_HOST it prints (npm test does this)`;
  const image = missing ? undefined : nodeImage(dockerHost);
  if (!missing && !image) missing = 'the offline kind node image — run `npm run kind:image`';
  if (missing || !image) {
    const message = `${suite}: needs ${missing}`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
    process.stdout.write(`SKIPPED (${message})\n`);
    return null;
  }
  return { image, dockerHost, path: [path.dirname(REAL_KIND), process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'].join(path.delimiter) };
}

/**
 * The DOCKER_HOST of a Docker daemon that answers (the private test daemon under `npm test`), or
 * null with an explicit SKIPPED line locally; under CI=true a missing daemon throws.
 */
export function requireRealDocker(suite: string): string | null {
  const dockerHost = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (dockerAnswers(dockerHost)) return dockerHost;
  const message = `${suite}: needs a Docker daemon at ${dockerHost} — run \`bash test/support/docker/test-docker.sh start\` and export the DOCKER_HOST it prints (npm test does this)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return null;
}
