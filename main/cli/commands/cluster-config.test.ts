import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli';
import { captureStream } from '../../../test/support/fixtures';

const GOLDEN = path.resolve(__dirname, '../../../test/support/golden/cluster-config');

/** Runs the CLI with a PATH where no tool exists: `cluster config` must not need any. */
async function config(args: string[]) {
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(['cluster', 'config', ...args], { stdout, stderr, env: { HOME: '/nonexistent-home', PATH: '/nonexistent' } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function golden(name: string, actual: string) {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

describe('slipway cluster config (golden)', () => {
  it('gpu --workers 2 --gpus 0/1: each worker gets one GPU by a /dev/null device mount and the GPU label', async () => {
    const result = await config(['gpu', '--provider', 'kind', '--workers', '2', '--gpus', '0/1']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    golden('kind-gpu-0-1.yaml', result.stdout);
  });

  it('groups, ingress ports and a node image', async () => {
    const result = await config(['lab', '--provider', 'kind', '--workers', '3', '--gpus', '0,1/2', '--port', '80:80', '--port', '443:443', '--kubernetes-version', 'v1.34.0']);
    expect(result.code).toBe(0);
    golden('kind-lab-groups-ports.yaml', result.stdout);
  });

  it('all and split (with --gpu-count, since no tool may run)', async () => {
    golden('kind-all.yaml', (await config(['all', '--gpus', 'all'])).stdout);
    golden('kind-split-4.yaml', (await config(['s', '--gpus', 'split', '--gpu-count', '4'])).stdout);
  });

  it('k3d: the create command, saying plainly that every node gets all GPUs', async () => {
    const result = await config(['k', '--provider', 'k3d', '--workers', '2', '--gpus', 'all', '--port', '8080:80']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('k3d gives every node all requested GPUs');
    golden('k3d-gpus-all.txt', result.stdout);
  });

  it('--json carries the same config', async () => {
    const result = await config(['gpu', '--workers', '2', '--gpus', '0/1', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ provider: 'kind', config: fs.readFileSync(path.join(GOLDEN, 'kind-gpu-0-1.yaml'), 'utf8'), notes: [] });
  });

  it('bad input exits 2 with a fix', async () => {
    expect(await config(['x', '--gpus', '0/0'])).toMatchObject({ code: 2, stderr: expect.stringContaining('GPU 0 appears twice') });
    expect(await config(['x', '--gpus', 'split'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--gpu-count') });
    expect(await config(['x', '--port', '80'])).toMatchObject({ code: 2, stderr: expect.stringContaining('HOST:CONTAINER') });
    expect(await config(['x', '--provider', 'k3d', '--gpus', '0/1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('k3d takes --gpus all, none or a count') });
    expect(await config(['x', '--kubernetes-version', 'v1.34'])).toMatchObject({ code: 2, stderr: expect.stringContaining('patch') });
  });
});
