// What the integration tests, e2e tests and benchmarks need besides node_modules, built or started
// once and cached: the control plane (Go), the real kind, a Docker daemon for real kind clusters,
// and the offline kind node image. Used by `npm test` and `npm run bench`.
//
// Each step prints its progress. Under CI=true a failed step fails the run; elsewhere it is
// reported and the suites that need it print SKIPPED lines.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testDocker = path.join(root, 'test/support/docker/test-docker.sh');

/** Runs a command with its stderr shown; returns its stdout's last line, or null on failure. */
function run(title, cmd, args, env = process.env) {
  process.stdout.write(`\n== ${title}\n`);
  const result = spawnSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    return null;
  }
  return result.stdout.trim().split('\n').pop() ?? '';
}

function failed(step) {
  if (process.env.CI === 'true') {
    process.stdout.write(`\n== ${step} failed, and CI=true needs it\n0 passed, 1 failed, 0 skipped\n`);
    process.exit(1);
  }
  process.stdout.write(`== ${step} failed: the suites that need it will print SKIPPED\n`);
}

/**
 * Builds and starts everything; returns the environment for the test processes and a `stop`
 * that stops the Docker daemon when this call started it.
 */
export function prepare() {
  const env = { ...process.env };
  if (run('control plane (cached in .cache/k8s)', 'bash', ['scripts/k8s-build.sh']) === null) failed('npm run k8s:build');
  // The node image's binaries; the real-kind tests also use nvidia-ctk from there.
  if (run('kind node binaries (cached in .cache/k8s)', 'bash', ['scripts/k8s-build.sh', 'node']) === null) failed('bash scripts/k8s-build.sh node');
  if (run('real kind (cached in .cache/kind)', 'bash', ['scripts/kind-build.sh']) === null) failed('npm run kind:build');
  if (run('real k3d (cached in .cache/k3d), for the k3d-shim fidelity tests', 'bash', ['scripts/k3d-build.sh']) === null) failed('npm run k3d:build');

  let startedDocker = false;
  const alreadyUp = !env.SLIPWAY_TEST_DOCKER && spawnSync('bash', [testDocker, 'env'], { encoding: 'utf8' }).status === 0;
  const dockerLine = run('Docker for real kind clusters (test/support/docker/test-docker.sh)', 'bash', [testDocker, 'start']);
  if (dockerLine?.startsWith('DOCKER_HOST=')) {
    env.DOCKER_HOST = dockerLine.slice('DOCKER_HOST='.length);
    startedDocker = !alreadyUp && env.SLIPWAY_TEST_DOCKER !== 'system';
    const image = run('kind node image (cached; npm run kind:image)', 'bash', ['scripts/kind-image/build.sh'], env);
    if (image) env.SLIPWAY_KIND_NODE_IMAGE = image;
    else failed('npm run kind:image');
  } else {
    failed('the test Docker daemon');
  }
  return {
    env,
    stop() {
      if (startedDocker) spawnSync('bash', [testDocker, 'stop'], { stdio: 'inherit' });
    },
  };
}
