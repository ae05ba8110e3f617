/**
 * The k3d shim is only worth something if it behaves like k3d. The real k3d (v5.8.3, built from
 * the Go module proxy by scripts/k3d-build.sh) runs here as far as it gets without a k3s image:
 * its version, its argument and config validation, and everything it says when no Docker answers
 * (DOCKER_HOST names a unix socket that does not exist). The shim must match it byte for byte,
 * colours and stream split included, and Slipway must show the real k3d's words without the
 * colour codes. Cluster creation itself needs k3s images, which cannot be built here: that stays
 * shim-tested (k3d-provider.test.ts).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planK3dCluster } from '../../main/clusters/k3d/k3d-plan';
import type { AppError } from '../../shared/errors';
import { createClusterRequestSchema } from '../../shared/models/clusters';
import { testServices } from '../support/fixtures';
import { recordingIo } from '../support/provider-io';
import { K3D_DEFAULT_K3S, K3D_VERSION, REAL_K3D, requireRealK3d } from '../support/real-k3d';
import { makeShims, type ShimSetup } from '../support/shims';

const SHIM_K3D = path.resolve(__dirname, '../support/bin/k3d');

interface Output {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr written to one file, as a terminal shows them: their real order. */
  both: string;
}

function split(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Omit<Output, 'both'>> {
  return new Promise((resolve) => {
    execFile(file, args, { env }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

async function combined(file: string, args: string[], env: NodeJS.ProcessEnv, dir: string): Promise<string> {
  const out = path.join(dir, `both-${process.hrtime.bigint()}.log`);
  const fd = fs.openSync(out, 'w');
  try {
    await new Promise<void>((resolve, reject) => spawn(file, args, { env, stdio: ['ignore', fd, fd] }).on('error', reject).on('close', () => resolve()));
  } finally {
    fs.closeSync(fd);
  }
  return fs.readFileSync(out, 'utf8');
}

/**
 * k3d reads its --port flags into a Go map, so it reports them in a random order: put those lines
 * in one order (where they stand) before comparing.
 */
function portLinesInOrder(text: string): string {
  const lines = text.split('\n');
  const at = lines.flatMap((l, i) => (/portmapping '/.test(l) ? [i] : []));
  const sorted = at.map((i) => lines[i]!).sort();
  at.forEach((i, n) => (lines[i] = sorted[n]!));
  return lines.join('\n');
}

/** Log lines as logrus colours them, by stream: INFO/DEBU belong on stdout, WARN/ERRO/FATA on stderr. */
const ESC = '\x1b';
const COLOURED = new RegExp(`^${ESC}\\[(\\d+)m(INFO|DEBU|WARN|ERRO|FATA)${ESC}\\[0m\\[\\d{4}\\] `);

function expectK3dStreams(output: Omit<Output, 'both'>, what: string) {
  let logLines = 0;
  for (const [stream, levels] of [['stdout', ['INFO', 'DEBU']], ['stderr', ['WARN', 'ERRO', 'FATA']]] as const) {
    for (const line of output[stream].split('\n')) {
      const level = COLOURED.exec(line)?.[2];
      if (!level) continue;
      logLines++;
      expect(levels, `${what}: ${stream} line ${JSON.stringify(line)}`).toContain(level);
    }
  }
  expect(logLines, `${what}: coloured log lines`).toBeGreaterThan(0);
}

describe.runIf(requireRealK3d('k3d shim fidelity'))('k3d shim vs the real k3d', () => {
  let shims: ShimSetup | undefined;
  afterEach(() => shims?.cleanup());

  /** A shim bin folder and a DOCKER_HOST that no daemon answers on. */
  function noDocker(tools: ('docker' | 'k3d')[] = []) {
    shims = makeShims({ tools });
    const socket = path.join(shims.dir, 'no-docker.sock');
    shims.env.DOCKER_HOST = `unix://${socket}`;
    return { env: shims.env, socket, dir: shims.dir };
  }

  async function both(args: string[], env: NodeJS.ProcessEnv, dir: string): Promise<{ real: Output; shim: Output }> {
    const run = async (file: string): Promise<Output> => {
      const { code, stdout, stderr } = await split(file, args, env);
      return { code, stdout: portLinesInOrder(stdout), stderr, both: portLinesInOrder(await combined(file, args, env, dir)) };
    };
    return { real: await run(REAL_K3D), shim: await run(SHIM_K3D) };
  }

  /** The `k3d cluster create` arguments Slipway builds for a request. */
  const plan = (request: object) => planK3dCluster(createClusterRequestSchema.parse({ provider: 'k3d', ...request })).args;
  const gpuRequest = { name: 'gk', nodes: 1, gpus: 'all', image: 'slipway/k3s-cuda:v1.31.5-k3s1' };
  /** A plain cluster, and one with GPUs and ports. */
  const plans = () => [plan({ name: 'plain', nodes: 0 }), plan({ ...gpuRequest, ports: [{ host: 18080, container: 80 }, { host: 18443, container: 443 }] })];

  it('k3d version: the pinned release, stamped by the build, and the shim says the same', async () => {
    const { env, dir } = noDocker();
    const { real, shim } = await both(['version'], env, dir);
    expect(real).toEqual({ code: 0, stdout: `k3d version ${K3D_VERSION}\nk3s version ${K3D_DEFAULT_K3S} (default)\n`, stderr: '', both: real.stdout });
    expect(shim).toEqual(real);
  });

  it('no Docker: every command Slipway runs gives the same output, colours, stream split, order and exit code', async () => {
    const { env, dir, socket } = noDocker();
    const commands = [
      ['cluster', 'list', '-o', 'json'],
      ...plans(),
      ['cluster', 'delete', 'gk'],
      ['cluster', 'start', 'gk'],
      ['cluster', 'stop', 'gk'],
      ['kubeconfig', 'get', 'gk'],
      ['kubeconfig', 'merge', 'gk', '--output', path.join(dir, 'kubeconfig'), '--kubeconfig-switch-context'],
      ['image', 'import', 'ml/trainer:cuda12', '--cluster', 'gk'],
    ];
    for (const args of commands) {
      const { real, shim } = await both(args, env, dir);
      const what = `k3d ${args.join(' ')}`;
      expect(shim, what).toEqual(real);
      expect(real.stdout + real.stderr, what).toContain(`Cannot connect to the Docker daemon at unix://${socket}. Is the docker daemon running?`);
      expectK3dStreams(real, what);
    }
    // What the colours and streams look like, written out once by hand.
    const create = await split(REAL_K3D, plans()[0]!, env);
    expect(create.code).toBe(1);
    expect(create.stdout.split('\n')[0]).toBe('\x1b[36mINFO\x1b[0m[0000] Prep: Network                                ');
    expect(create.stderr.split('\n').at(-2)).toBe('\x1b[31mFATA\x1b[0m[0000] Cluster creation FAILED, also FAILED to rollback changes! ');
    // Deleting a cluster that cannot be found is not an error for k3d.
    expect((await split(REAL_K3D, ['cluster', 'delete', 'gk'], env)).code).toBe(0);
  });

  it('config validation before Docker: Slipway’s own arguments pass, bad names, ports, node filters and timeouts fail alike', async () => {
    const { env, dir } = noDocker();
    for (const args of plans()) {
      // Valid: k3d gets as far as the network, where it needs Docker.
      expect((await split(REAL_K3D, args, env)).stdout, args.join(' ')).toContain('Prep: Network');
    }
    // One --port at most per case: with several, which one k3d checks first is random.
    const base = plan(gpuRequest);
    const withName = (name: string) => base.map((a) => (a === 'gk' ? name : a));
    const bad = [
      withName('Bad_Name'),
      withName('a'.repeat(33)),
      withName('ends-'),
      [...withName('Bad_Name'), '--port', '18080:80@loadbalancer'],
      [...base, '--port', 'bad@loadbalancer'],
      [...base, '--port', 'x:80@loadbalancer'],
      [...base, '--port', '99999:80@loadbalancer'],
      [...base, '--port', '8080:80@agent:3'],
      [...base, '--port', '8080:80@server:0:bogus'],
      [...base, '--port', '8080:80@nowhere'],
      [...base, '--port', '8080:80@loadbalancer', '--no-lb'],
      [...base, '--k3s-node-label', 'a=b@bogus'],
      [...base, '--k3s-node-label', 'a=b@agent:1'],
      [...base, '--k3s-node-label', 'a=b@server:0:proxy'],
      [...base, '--timeout', '-5s'],
    ];
    for (const args of bad) {
      const { real, shim } = await both(args, env, dir);
      const what = `k3d ${args.join(' ')}`;
      expect(real.code, what).toBe(1);
      expect(real.stderr.startsWith('\x1b[31mFATA\x1b[0m[0000] '), what).toBe(true);
      expect(real.stderr, what).not.toContain('Cannot connect to the Docker daemon');
      expect(shim, what).toEqual(real);
    }
  });

  it('usage errors (unknown flag or command, bad values, argument counts): same first lines, last line and exit code', async () => {
    const { env, dir } = noDocker();
    const cases = [
      ['cluster', 'create', 'gk', '--agents', 'x'],
      ['cluster', 'create', 'gk', '--timeout', '300'],
      ['cluster', 'create', 'gk', '--timeout', 'soon'],
      ['cluster', 'create', 'gk', '--bogus'],
      ['cluster', 'create', 'gk', '-x'],
      ['cluster', 'create', 'gk', 'extra'],
      ['cluster', 'create', 'gk', '--agents'],
      ['kubeconfig', 'get'],
      ['image', 'import', '--cluster', 'gk'],
      ['frob'],
    ];
    // The flag tables that follow "Usage:" differ (the shim lists only the flags Slipway uses);
    // the error, the usage line and logrus's fatal line at the end must not.
    const gist = (o: Output) => {
      const lines = o.stderr.replace(/time="[^"]+"/g, 'time="T"').split('\n');
      return { code: o.code, stdout: o.stdout, first: lines.slice(0, 3), last: lines.filter(Boolean).at(-1) };
    };
    for (const args of cases) {
      const { real, shim } = await both(args, env, dir);
      expect(real.code, args.join(' ')).toBe(1);
      expect(gist(shim), args.join(' ')).toEqual(gist(real));
    }
  });

  it('Slipway shows the real k3d’s words without colour codes: cluster list, create, image load progress', async () => {
    const { env, socket, dir } = noDocker(['docker']);
    fs.symlinkSync(REAL_K3D, path.join(dir, 'bin', 'k3d'));
    const services = testServices(env, path.join(dir, 'config'));
    try {
      const list = await services.clusters.list();
      expect(list.problems.find((p) => p.provider === 'k3d')).toMatchObject({
        code: 'DOCKER_UNAVAILABLE',
        message: expect.stringContaining(`FATA[0000] runtime failed to list nodes: docker failed to get containers with labels 'map[app:k3d]': failed to list containers: Cannot connect to the Docker daemon at unix://${socket}.`),
      });
      expect(JSON.stringify(list.problems)).not.toContain('\\u001b');

      const error = (await services.clusters.create({ provider: 'k3d', name: 'gk' }, recordingIo()).catch((e) => e)) as AppError;
      expect(error.code).toBe('DOCKER_UNAVAILABLE');
      expect(error.message).toContain('FATA[0000] runtime failed to list nodes');
      expect(error.message).not.toContain('\x1b');

      // The docker shim has the image, so Slipway goes on to `k3d image import`, whose lines are
      // its progress.
      await split(path.join(dir, 'bin', 'docker'), ['build', '-t', 'ml/trainer:cuda12', '.'], env);
      const io = recordingIo();
      const load = (await services.images.load({ image: 'ml/trainer:cuda12', cluster: 'gk', provider: 'k3d' }, io).catch((e) => e)) as AppError;
      expect(load.code).toBe('DOCKER_UNAVAILABLE');
      expect(load.message).toContain('FATA[0000] failed to get cluster gk: No nodes found for given cluster');
      const lines = io.updates.flatMap((u) => u.log ?? []);
      expect(lines.map((l) => l.trimEnd())).toContain(`ERRO[0000] Failed to get nodes for cluster 'gk': docker failed to get containers with labels 'map[k3d.cluster:gk]': failed to list containers: Cannot connect to the Docker daemon at unix://${socket}. Is the docker daemon running?`);
      expect(lines.join('\n')).not.toContain('\x1b');
    } finally {
      services.dispose();
    }
  });
});
