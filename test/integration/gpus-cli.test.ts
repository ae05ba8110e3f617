import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import { captureStream } from '../support/fixtures';
import { makeShims, type ShimSetup } from '../support/shims';

let shims: ShimSetup | undefined;
afterEach(() => shims?.cleanup());

async function gpus(options: Parameters<typeof makeShims>[0], json = true) {
  shims = makeShims(options);
  const stdout = captureStream();
  const stderr = captureStream();
  const code = await runCli(['gpus', ...(json ? ['--json'] : [])], { stdout, stderr, env: shims.env });
  return { code, out: json ? JSON.parse(stdout.text()) : stdout.text(), stderr: stderr.text(), commands: shims.commands() };
}

describe('slipway gpus (nvidia-smi shim on recorded outputs)', () => {
  it('one GPU: index, uuid, name, memory, driver, CUDA from the header, MIG mode', async () => {
    const result = await gpus({ tools: ['nvidia-smi'], nvidiaSmi: 'one-gpu' });
    expect(result.code).toBe(0);
    expect(result.out).toEqual({
      gpus: [{ index: 0, uuid: 'GPU-5a3e9b1c-77d2-4f0e-9c61-2b8d4e6f1a03', name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564, driver: '550.54.15', cuda: '12.4', migMode: 'n/a' }],
    });
    expect(result.commands).toEqual([
      ['nvidia-smi', '--query-gpu=index,uuid,name,memory.total,driver_version,mig.mode.current', '--format=csv,noheader,nounits'],
      ['nvidia-smi'],
    ]);
  });

  it('eight GPUs, as a table', async () => {
    const result = await gpus({ tools: ['nvidia-smi'], nvidiaSmi: 'eight-gpus' }, false);
    expect(result.code).toBe(0);
    const lines = (result.out as string).trim().split('\n');
    expect(lines[0]).toMatch(/^INDEX\s+NAME\s+MEMORY\s+DRIVER\s+CUDA\s+MIG\s+UUID$/);
    expect(lines).toHaveLength(9);
    expect(lines[8]).toMatch(/^7\s+NVIDIA H100 80GB HBM3\s+81559 MiB\s+560\.35\.03\s+12\.6\s+disabled\s+GPU-70d394f5/);
  });

  it('MIG enabled is reported per GPU', async () => {
    const result = await gpus({ tools: ['nvidia-smi'], nvidiaSmi: 'mig' });
    expect(result.out.gpus.map((g: { migMode: string }) => g.migMode)).toEqual(['enabled', 'disabled']);
  });

  it('driver error: empty list with nvidia-smi’s reason, exit 0', async () => {
    const result = await gpus({ tools: ['nvidia-smi'], nvidiaSmi: 'driver-error' });
    expect(result.code).toBe(0);
    expect(result.out.gpus).toEqual([]);
    expect(result.out.reason).toContain("couldn't communicate with the NVIDIA driver");
  });

  it('no nvidia-smi at all: empty list with a reason, exit 0', async () => {
    const result = await gpus({ tools: [] });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.out.gpus).toEqual([]);
    expect(result.out.reason).toMatch(/^nvidia-smi was not found/);
    const text = await gpus({ tools: [] }, false);
    expect(text.out).toMatch(/^No NVIDIA GPU: nvidia-smi was not found/);
  });
});
