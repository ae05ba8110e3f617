import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import { captureStream } from '../support/fixtures';
import { makeShims, type ShimSetup } from '../support/shims';

let shims: ShimSetup | undefined;
afterEach(() => shims?.cleanup());

const BIN = path.resolve(__dirname, '../support/bin');

/** A shim setup with one kind cluster (2 nodes), one k3d cluster and one local image. */
function world() {
  shims = makeShims({ tools: ['docker', 'kind', 'k3d'] });
  const env = shims.env;
  execFileSync(path.join(BIN, 'kind'), ['create', 'cluster', '--name', 'train', '--config', '-'], { env, input: 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n', stdio: ['pipe', 'ignore', 'ignore'] });
  execFileSync(path.join(BIN, 'k3d'), ['cluster', 'create', 'edge', '--agents', '0'], { env, stdio: 'ignore' });
  execFileSync(path.join(BIN, 'docker'), ['build', '-t', 'ml/trainer:cuda12', '.'], { env, stdio: 'ignore' });
  return shims;
}

async function slipway(args: string[]) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(args, { stdout, stderr, env: shims!.env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('slipway image load', () => {
  it('kind: finds the provider by name, loads into every node with per-node progress', async () => {
    const { commands } = world();
    const before = commands().length;
    const result = await slipway(['image', 'load', 'ml/trainer:cuda12', '--cluster', 'train', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ image: 'ml/trainer:cuda12', cluster: 'train', provider: 'kind', nodes: ['train-control-plane', 'train-worker'] });
    expect(commands().slice(before)).toEqual([
      ['docker', 'image', 'inspect', 'ml/trainer:cuda12', '--format', '{{.Size}}'],
      ['kind', 'get', 'clusters'],
      ['k3d', 'cluster', 'list', '-o', 'json'],
      ['kind', 'get', 'nodes', '--name', 'train'],
      ['kind', 'load', 'docker-image', 'ml/trainer:cuda12', '--name', 'train'],
    ]);
    expect(result.stderr.split('\n').filter(Boolean)).toEqual(['[  2%] Checking image', '[  5%] Loading into 2 nodes', '[ 50%] Loading into 2 nodes', '[ 95%] Loading into 2 nodes', '[100%] Loaded']);
  });

  it('k3d: image import with the provider given', async () => {
    const { commands } = world();
    const result = await slipway(['image', 'load', 'ml/trainer:cuda12', '--cluster', 'edge', '--provider', 'k3d']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Loaded ml/trainer:cuda12 into k3d cluster "edge" (1 node: k3d-edge-server-0).\n');
    expect(commands()).toContainEqual(['k3d', 'image', 'import', 'ml/trainer:cuda12', '--cluster', 'edge']);
  });

  it('an image that is not local, a cluster that does not exist, a missing --cluster', async () => {
    world();
    expect(await slipway(['image', 'load', 'nope:1', '--cluster', 'train'])).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND] The image nope:1 is not in the local Docker image store. — Pull or build it first: `docker pull nope:1`.') });
    expect(await slipway(['image', 'load', 'ml/trainer:cuda12', '--cluster', 'ghost'])).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND] No kind or k3d cluster named "ghost".') });
    expect(await slipway(['image', 'load', 'ml/trainer:cuda12'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--cluster: required') });
  });
});
