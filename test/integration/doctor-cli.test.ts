import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import type { DoctorCheck } from '../../shared/models/doctor';
import { captureStream } from '../support/fixtures';
import { REAL_KIND, requireRealKind } from '../support/real-kind';
import { makeShims, type ShimOptions, type ShimSetup } from '../support/shims';

let shims: ShimSetup | undefined;
afterEach(() => shims?.cleanup());

async function doctor(options: ShimOptions, extra: string[] = []) {
  shims = makeShims(options);
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(['doctor', '--json', ...extra], { stdout, stderr, env: shims.env });
  const { checks } = JSON.parse(stdout.text()) as { checks: DoctorCheck[] };
  const by = Object.fromEntries(checks.map((c) => [c.id, c]));
  return { code, checks, by, commands: shims.commands() };
}

function everyProblemHasAFix(checks: DoctorCheck[]) {
  for (const c of checks) {
    expect(['ok', 'warn', 'fail', 'skip']).toContain(c.status);
    expect(c.title.length).toBeGreaterThan(0);
    expect(c.detail.length).toBeGreaterThan(0);
    if (c.status === 'fail' || c.status === 'warn') {
      expect(c.fix, `${c.id} needs a fix`).toBeTruthy();
      expect(c.fix).not.toContain('\n');
    }
  }
}

describe('slipway doctor', () => {
  it('answers on a machine without Docker or GPUs: clear statuses, a fix for each problem, exit 0', async () => {
    const result = await doctor({ tools: [] });
    expect(result.code).toBe(0);
    expect(result.checks.map((c) => c.id)).toEqual([
      'shell-path', 'container-engine', 'docker-daemon', 'kind', 'k3d', 'kubectl', 'helm', 'kwokctl',
      'nvidia-driver', 'nvidia-container-toolkit', 'docker-default-runtime', 'nvidia-volume-mounts', 'gpu-smoke-test',
    ]);
    expect(result.by['container-engine']).toMatchObject({ status: 'fail', fix: expect.stringContaining('Install Docker') });
    expect(result.by['docker-daemon']!.status).toBe('skip');
    expect(result.by.kind).toMatchObject({ status: 'warn', detail: 'Not found; needed for kind clusters.' });
    expect(result.by['nvidia-driver']).toMatchObject({ status: 'skip', detail: expect.stringMatching(/^nvidia-smi was not found/) });
    for (const id of ['nvidia-container-toolkit', 'docker-default-runtime', 'nvidia-volume-mounts', 'gpu-smoke-test']) expect(result.by[id]!.status).toBe('skip');
    everyProblemHasAFix(result.checks);
    expect(result.commands).toEqual([]);
  });

  it.runIf(requireRealKind('doctor with the real kind'))('reports the real kind binary’s version', async () => {
    shims = makeShims({ tools: [] });
    fs.symlinkSync(REAL_KIND, path.join(shims.dir, 'bin', 'kind'));
    const stdout = captureStream();
    await runCli(['doctor', '--json'], { stdout, stderr: captureStream(), env: shims.env });
    const kind = (JSON.parse(stdout.text()) as { checks: DoctorCheck[] }).checks.find((c) => c.id === 'kind');
    expect(kind).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^v0\.33\.0 at .*\/bin\/kind\.$/) });
  });

  it('Docker installed but not running, a GPU without the toolkit', async () => {
    const result = await doctor({ tools: ['docker', 'kind', 'k3d', 'nvidia-smi'], dockerDown: true, nvidiaSmi: 'one-gpu' });
    expect(result.by['container-engine']).toMatchObject({ status: 'ok', detail: expect.stringContaining('docker v28.2.2') });
    expect(result.by['docker-daemon']).toMatchObject({
      status: 'fail',
      detail: 'The daemon does not answer: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      fix: expect.stringContaining('Start Docker'),
    });
    expect(result.by.kind).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^v0\.33\.0 at /) });
    expect(result.by.k3d).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^v5\.8\.3 at /) });
    expect(result.by['nvidia-driver']).toMatchObject({ status: 'ok', detail: 'Driver 550.54.15, CUDA 12.4; 1 GPU (NVIDIA GeForce RTX 4090).' });
    expect(result.by['nvidia-container-toolkit']).toMatchObject({ status: 'fail', fix: expect.stringContaining('nvidia-container-toolkit') });
    expect(result.by['docker-default-runtime']!.status).toBe('skip');
    everyProblemHasAFix(result.checks);
  });

  it('runc as default runtime and no volume-mount setting: both fail with the nvidia-ctk commands that fix them', async () => {
    const result = await doctor({ tools: ['docker', 'nvidia-smi', 'nvidia-ctk'], nvidiaSmi: 'eight-gpus', dockerRuntime: 'runc', runtimeConfig: '#accept-nvidia-visible-devices-as-volume-mounts = false\n' });
    expect(result.by['nvidia-container-toolkit']).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^nvidia-ctk v1\.17\.3 at /) });
    expect(result.by['docker-default-runtime']).toMatchObject({ status: 'fail', fix: 'sudo nvidia-ctk runtime configure --runtime=docker --set-as-default && sudo systemctl restart docker' });
    expect(result.by['nvidia-volume-mounts']).toMatchObject({ status: 'fail', fix: expect.stringContaining('accept-nvidia-visible-devices-as-volume-mounts=true') });
    expect(result.by['gpu-smoke-test']!.status).toBe('skip');
    // The smoke test starts a container: never without being asked.
    expect(result.commands.filter((c) => c[1] === 'run')).toEqual([]);
  });

  it('a ready GPU host passes every GPU check, and runs the /dev/null smoke test only on request', async () => {
    const result = await doctor({ tools: ['docker', 'kind', 'k3d', 'nvidia-smi', 'nvidia-ctk'], nvidiaSmi: 'one-gpu', dockerRuntime: 'nvidia' }, ['--smoke-test']);
    for (const id of ['docker-daemon', 'nvidia-driver', 'nvidia-container-toolkit', 'docker-default-runtime', 'nvidia-volume-mounts', 'gpu-smoke-test']) {
      expect(result.by[id]!.status, `${id}: ${result.by[id]!.detail}`).toBe('ok');
    }
    expect(result.by['gpu-smoke-test']!.detail).toBe('A container saw 1 GPU: GPU 0: NVIDIA GeForce RTX 4090 (UUID: GPU-5a3e9b1c-77d2-4f0e-9c61-2b8d4e6f1a03)');
    expect(result.commands).toContainEqual(['docker', 'run', '--rm', '-v', '/dev/null:/var/run/nvidia-container-devices/all', 'ubuntu:22.04', 'nvidia-smi', '-L']);
  });

  it('a driver that does not answer is a failure with the driver’s words', async () => {
    const result = await doctor({ tools: ['nvidia-smi'], nvidiaSmi: 'driver-error' });
    expect(result.by['nvidia-driver']).toMatchObject({ status: 'fail', detail: expect.stringContaining("couldn't communicate with the NVIDIA driver"), fix: expect.stringContaining('modprobe nvidia') });
  });

  it('human output lists the checks and a "To fix" section', async () => {
    shims = makeShims({ tools: [] });
    const stdout = captureStream();
    const code = await runCli(['doctor'], { stdout, stderr: captureStream(), env: shims.env });
    expect(code).toBe(0);
    expect(stdout.text()).toMatch(/^STATUS\s+CHECK\s+DETAIL/);
    expect(stdout.text()).toContain('To fix:\n  Container engine: Install Docker');
    expect(stdout.text().trim().split('\n').at(-1)).toMatch(/^1 failed, \d+ warnings$/);
  });
});
