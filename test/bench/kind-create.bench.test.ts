import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import k8sVersions from '../../scripts/k8s-versions.json';
import { CONTROL_PLANE_BIN, requireControlPlane } from '../support/control-plane';
import { captureStream, tempDir, writeKubeconfig } from '../support/fixtures';
import { requireRealKindCluster } from '../support/real-docker';
import { recordFigures } from './support/results';

const setup = requireControlPlane('kind create benchmark') ? requireRealKindCluster('kind create benchmark') : null;
const exec = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUSYBOX = `docker.io/library/busybox:${k8sVersions.kindNode.busybox}`;

/**
 * Real kind clusters on this machine's Docker with the cached offline node image, as
 * `slipway cluster create` makes them (kind create, nodes Ready, add-ons), side by side with a
 * simulated cluster created in the same run; the time from `slipway image load` to a pod running
 * the image; and the duration of the last full node-image build (scripts/kind-image/build.sh
 * records it).
 */
describe.runIf(setup)('kind create-to-ready', () => {
  const tmp = tempDir('slipway-bench-kind-');
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kubeconfig'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), PATH: `${setup?.path}${path.delimiter}${CONTROL_PLANE_BIN}`, DOCKER_HOST: setup?.dockerHost ?? '' };
  const slipway = async (...argv: string[]) => {
    const stderr = captureStream();
    const code = await runCli(argv, { stdout: captureStream(), stderr, env });
    if (code !== 0) throw new Error(`slipway ${argv.join(' ')} failed:\n${stderr.text()}`);
  };
  const timed = async (fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    return Math.round(performance.now() - t0);
  };
  afterAll(async () => {
    for (const name of ['bench-kind-1', 'bench-kind-2', 'bench-kwok']) await slipway('cluster', 'delete', name).catch(() => {});
    tmp.cleanup();
  }, 300_000);

  it('measures 1- and 2-node kind clusters, a simulated one, and image load to a running pod', async () => {
    const oneNode = await timed(() => slipway('cluster', 'create', 'bench-kind-1', '--provider', 'kind', '--workers', '0', '--image', setup!.image));
    await slipway('cluster', 'delete', 'bench-kind-1');
    const twoNodes = await timed(() => slipway('cluster', 'create', 'bench-kind-2', '--provider', 'kind', '--workers', '1', '--image', setup!.image));
    const simulated = await timed(() => slipway('cluster', 'create', 'bench-kwok', '--provider', 'kwok', '--nodes', '1'));
    await slipway('cluster', 'delete', 'bench-kwok');

    // A fresh image (a new tag of a tiny one), loaded into both nodes, then run by a pod.
    const image = `slipway-bench/run:${Date.now()}`;
    await exec('docker', ['tag', BUSYBOX, image], { env: { ...process.env, ...env } });
    const kubectl = (...args: string[]) => exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', 'kind-bench-kind-2', ...args], { env: { ...process.env, ...env } });
    const loadToRunning = await timed(async () => {
      await slipway('image', 'load', image, '--cluster', 'bench-kind-2');
      await kubectl('run', 'bench', `--image=${image}`, '--image-pull-policy=Never', '--', '/bin/sh', '-c', 'sleep 3600');
      await kubectl('wait', '--for=condition=Ready', 'pod/bench', '--timeout=180s');
    });
    await slipway('cluster', 'delete', 'bench-kind-2');

    const lastBuild = path.join(root, '.cache/kind-image/last-build.json');
    const build = fs.existsSync(lastBuild) ? (JSON.parse(fs.readFileSync(lastBuild, 'utf8')) as { seconds: number; builtAt: string }) : undefined;
    expect(oneNode).toBeGreaterThan(0);
    recordFigures(
      'kind-create',
      {
        kindOneNodeCreateToReadyMs: oneNode,
        kindTwoNodeCreateToReadyMs: twoNodes,
        simulatedCreateToReadyMs: simulated,
        kindTwoNodeVsSimulatedRatio: Math.round((twoNodes / simulated) * 10) / 10,
        imageLoadToPodRunningMs: loadToRunning,
        nodeImage: setup!.image,
        ...(build ? { nodeImageLastFullBuildS: build.seconds, nodeImageBuiltAt: build.builtAt } : {}),
        note: 'create-to-ready = slipway cluster create (kind create --wait, nodes Ready without start-up taints, metrics-server applied); one run each',
      },
      {},
    );
  }, 1_200_000);
});
