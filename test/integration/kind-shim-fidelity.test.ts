/**
 * The kind shim is only worth something if it behaves like kind. The real kind (v0.33.0, built
 * from the Go module proxy by scripts/kind-build.sh) runs here wherever it needs no Docker
 * engine: its version, its errors when Docker is missing or down, its config validation, and (on
 * top of the docker shim) listing and deleting clusters. The shim must match it, and Slipway
 * must surface the real kind's words.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors';
import { testServices } from '../support/fixtures';
import { recordingIo } from '../support/provider-io';
import { REAL_KIND, requireRealKind } from '../support/real-kind';
import { makeShims, type ShimSetup } from '../support/shims';

const SHIM_KIND = path.resolve(__dirname, '../support/bin/kind');
const GOLDEN = path.resolve(__dirname, '../support/golden/cluster-config');

function run(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    // Commands that do not read stdin may exit before it is written.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

function sortedLines(text: string): string[] {
  // kind prefixes the captured output with "Command Output: ", on whichever line came first.
  return text.replace('Command Output: ', '').split('\n').sort();
}

describe.runIf(requireRealKind('kind shim fidelity'))('kind shim vs the real kind', () => {
  let shims: ShimSetup | undefined;
  afterEach(() => shims?.cleanup());

  /** Runs the same command with the real kind and with the shim. */
  async function both(args: string[], env: NodeJS.ProcessEnv, input?: string) {
    return { real: await run(REAL_KIND, args, env, input), shim: await run(SHIM_KIND, args, env, input) };
  }

  it('kind version: same version and format', async () => {
    shims = makeShims({ tools: [] });
    const { real, shim } = await both(['version'], shims.env);
    const format = /^kind (v\d+\.\d+\.\d+) go\S+ \w+\/\w+\n$/;
    expect(real.stdout).toMatch(format);
    expect(shim.stdout).toMatch(format);
    expect(format.exec(shim.stdout)![1]).toBe(format.exec(real.stdout)![1]);
  });

  it('Docker missing and Docker down: identical errors and exit codes for get clusters and create cluster', async () => {
    const config = fs.readFileSync(path.join(GOLDEN, 'kind-gpu-0-1.yaml'), 'utf8');
    for (const dockerDown of [false, true]) {
      shims = makeShims({ tools: dockerDown ? ['docker'] : [], dockerDown });
      for (const [args, input] of [[['get', 'clusters']], [['create', 'cluster', '--name', 'gpu', '--config', '-'], config]] as [string[], string?][]) {
        const { real, shim } = await both(args, shims.env, input);
        expect(real.code, `${args.join(' ')} docker ${dockerDown ? 'down' : 'missing'}`).toBe(1);
        // kind copies docker's stdout and stderr into one buffer from two pipes, so their lines
        // interleave in whatever order the pipes are read: compare the lines, not their order.
        expect({ ...shim, stderr: sortedLines(shim.stderr) }).toEqual({ ...real, stderr: sortedLines(real.stderr) });
      }
      shims.cleanup();
    }
  });

  it('the real kind accepts every generated config (it fails only at Docker, after decoding the config)', async () => {
    shims = makeShims({ tools: [] });
    for (const file of fs.readdirSync(GOLDEN).filter((f) => f.startsWith('kind-'))) {
      const config = fs.readFileSync(path.join(GOLDEN, file), 'utf8').replace(/^#.*\n/gm, '');
      const { stderr } = await run(REAL_KIND, ['create', 'cluster', '--config', '-'], shims.env, config);
      expect(stderr, file).toMatch(/^ERROR: failed to create cluster: failed to get docker info/);
    }
    // A config kind cannot decode fails earlier, in both.
    const bad = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n';
    const real = await run(REAL_KIND, ['create', 'cluster', '--config', '-'], shims.env, bad);
    const shim = await run(SHIM_KIND, ['create', 'cluster', '--config', '-'], shims.env, bad);
    expect(real.stderr).toContain('unknown apiVersion');
    expect(shim.stderr).toContain('unknown apiVersion');
  });

  it('on the docker shim, the real kind lists, names and deletes the nodes the shim created', async () => {
    shims = makeShims({ tools: ['docker'] });
    const config = fs.readFileSync(path.join(GOLDEN, 'kind-gpu-0-1.yaml'), 'utf8');
    const created = await run(SHIM_KIND, ['create', 'cluster', '--name', 'gpu', '--config', '-', '--kubeconfig', shims.env.KUBECONFIG!], shims.env, config);
    expect(created.code).toBe(0);
    for (const args of [['get', 'clusters'], ['get', 'nodes', '--name', 'gpu'], ['get', 'nodes', '--name', 'other']]) {
      const { real, shim } = await both(args, shims.env);
      expect(shim, args.join(' ')).toEqual(real);
    }
    expect((await run(REAL_KIND, ['get', 'nodes', '--name', 'gpu'], shims.env)).stdout).toBe('gpu-control-plane\ngpu-worker\ngpu-worker2\n');
    const deleted = await run(REAL_KIND, ['delete', 'cluster', '--name', 'gpu', '--kubeconfig', shims.env.KUBECONFIG!], shims.env);
    expect(deleted).toMatchObject({ code: 0, stderr: 'Deleting cluster "gpu" ...\nDeleted nodes: ["gpu-control-plane" "gpu-worker" "gpu-worker2"]\n' });
    const shimDelete = await run(SHIM_KIND, ['delete', 'cluster', '--name', 'gpu'], shims.env);
    expect(shimDelete.stderr).toBe('Deleting cluster "gpu" ...\n');
    expect((await both(['get', 'clusters'], shims.env)).real).toMatchObject({ stdout: '', stderr: 'No kind clusters found.\n' });
  });

  it('Slipway surfaces the real kind’s error when Docker is missing', async () => {
    shims = makeShims({ tools: [] });
    fs.symlinkSync(REAL_KIND, path.join(shims.dir, 'bin', 'kind'));
    const services = testServices(shims.env, path.join(shims.dir, 'config'));
    try {
      const list = await services.clusters.list();
      expect(list.clusters).toEqual([]);
      expect(list.problems.find((p) => p.provider === 'kind')).toMatchObject({
        code: 'DOCKER_UNAVAILABLE',
        message: expect.stringContaining('ERROR: failed to list clusters: command "docker ps -a --filter label=io.x-k8s.kind.cluster'),
        fix: expect.stringContaining('Install Docker'),
      });
      const error = (await services.clusters.create({ provider: 'kind', name: 'x' }, recordingIo()).catch((e) => e)) as AppError;
      // Create asks for Docker itself before kind runs, and says how to install it.
      expect(error.code).toBe('DOCKER_UNAVAILABLE');
      expect(error.message).toBe('Docker was not found on PATH or in Settings → Tools.');
      expect(error.fix).toContain('Install Docker');
    } finally {
      services.dispose();
    }
  });
});
