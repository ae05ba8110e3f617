import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../main/cli';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { processesMentioning } from '../support/cluster-harness';
import { captureStream, tempDir, writeKubeconfig } from '../support/fixtures';

const enabled = requireControlPlane('slipway cluster CLI');
const exec = promisify(execFile);

/**
 * `slipway cluster create|list|delete --provider kwok` as a user runs it, against a temp
 * KUBECONFIG and config dir. Tools come from the build cache (PATH is emptied so a kwokctl
 * installed on the machine cannot stand in).
 */
describe.runIf(enabled)('slipway cluster (kwok)', () => {
  const tmp = tempDir('slipway-cli-kwok-');
  const configDir = path.join(tmp.dir, 'config');
  fs.mkdirSync(path.join(tmp.dir, 'kube'));
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kube', 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: configDir, PATH: '' };
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  afterAll(async () => {
    await slipway('cluster', 'delete', 'demo');
    tmp.cleanup();
  });

  it('creates demo with GPU nodes that kubectl sees, lists it, and deletes it with its context', async () => {
    const created = await slipway('cluster', 'create', 'demo', '--provider', 'kwok', '--gpu-nodes', '2', '--gpus-per-node', '4', '--json');
    expect(created.stderr).toContain('[100%] Ready');
    expect(created.code).toBe(0);
    const result = JSON.parse(created.stdout);
    expect(result).toMatchObject({ contextName: 'kwok-demo', kubeconfigPath: kubeconfig, cluster: { name: 'demo', provider: 'kwok', simulated: true, gpuNodes: 2, gpus: 8 } });
    // State lives under the Slipway config dir, so every face lists the same clusters.
    expect(fs.existsSync(path.join(configDir, 'kwok', 'clusters', 'demo', 'kubeconfig.yaml'))).toBe(true);

    const { stdout } = await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), [
      '--context', 'kwok-demo', 'get', 'nodes', '-l', 'nvidia.com/gpu.present=true',
      '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.capacity.nvidia\\.com/gpu} {end}',
    ], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    expect(stdout.trim().split(' ').sort()).toEqual(['gpu-node-0=4', 'gpu-node-1=4']);

    const list = await slipway('cluster', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).clusters).toEqual([expect.objectContaining({ name: 'demo', provider: 'kwok', status: 'running', nodes: 3, gpus: 8 })]);
    const table = await slipway('cluster', 'list');
    expect(table.stdout).toMatch(/demo\s+kwok \(simulated\)\s+running\s+3\s+8\s+kwok-demo/);

    // stop keeps the cluster and its context; start brings the same API server back.
    const stopped = await slipway('cluster', 'stop', 'demo');
    expect(stopped.code).toBe(0);
    expect(processesMentioning(path.join(configDir, 'kwok'))).toEqual([]);
    expect(JSON.parse((await slipway('cluster', 'list', '--json')).stdout).clusters).toEqual([expect.objectContaining({ name: 'demo', status: 'stopped' })]);
    const started = await slipway('cluster', 'start', 'demo', '--json');
    expect(started.code).toBe(0);
    // Its ports were kept for it; a program (a parallel test's cluster in another workdir) may
    // still have taken one meanwhile, and then the start moves it and says so.
    const startedJson = JSON.parse(started.stdout);
    expect(startedJson).toEqual({ started: true, provider: 'kwok', name: 'demo', contextName: 'kwok-demo', notes: expect.any(Array) });
    for (const note of startedJson.notes) expect(note).toMatch(/^Port \d+ \(.+\) was in use, so the cluster now uses \d+/);
    const afterStart = await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', 'kwok-demo', 'get', 'nodes', '-o', 'name'], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    expect(afterStart.stdout.trim().split('\n').sort()).toEqual(['node/gpu-node-0', 'node/gpu-node-1', 'node/node-0']);
    expect((await slipway('cluster', 'stop', 'nope')).stderr).toContain('[NOT_FOUND]');

    const again = await slipway('cluster', 'create', 'demo', '--provider', 'kwok');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[ALREADY_EXISTS]');

    const deleted = await slipway('cluster', 'delete', 'demo');
    expect(deleted.code).toBe(0);
    const config = parse(fs.readFileSync(kubeconfig, 'utf8'));
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(processesMentioning(path.join(configDir, 'kwok'))).toEqual([]);
    expect(JSON.parse((await slipway('cluster', 'list', '--json')).stdout).clusters).toEqual([]);
  });

  it('rejects bad input with exit 2 and names the flag', async () => {
    const bad = await slipway('cluster', 'create', 'demo', '--gpu-nodes', 'two');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--gpu-nodes must be a whole number');
    const badName = await slipway('cluster', 'create', 'Demo_1');
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('NAME: lowercase letters');
    const badProduct = await slipway('cluster', 'create', 'demo', '--gpu-nodes', '1', '--gpu-product', 'NVIDIA H100');
    expect(badProduct.code).toBe(2);
    expect(badProduct.stderr).toContain('cannot be a node label value');
    const missing = await slipway('cluster', 'delete', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[NOT_FOUND]');
    expect(fs.existsSync(path.join(configDir, 'kwok', 'clusters', 'demo'))).toBe(false);
  });
});
