import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nvidiaSmiFailureReason, parseCudaVersion, parseDriverVersion, parseGpuQuery } from './nvidia-smi-parse';

const fixtures = path.resolve(__dirname, '../../test/support/fixtures/nvidia-smi');
const read = (machine: string, file: string) => fs.readFileSync(path.join(fixtures, machine, file), 'utf8');

describe('nvidia-smi parsing on recorded outputs', () => {
  it('one GPU: an RTX 4090 with driver 550 and CUDA 12.4, MIG not applicable', () => {
    const cuda = parseCudaVersion(read('one-gpu', 'header.txt'));
    expect(cuda).toBe('12.4');
    expect(parseGpuQuery(read('one-gpu', 'query.csv'), cuda)).toEqual([
      { index: 0, uuid: 'GPU-5a3e9b1c-77d2-4f0e-9c61-2b8d4e6f1a03', name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564, driver: '550.54.15', cuda: '12.4', migMode: 'n/a' },
    ]);
  });

  it('eight GPUs: eight H100s in index order with distinct UUIDs', () => {
    const gpus = parseGpuQuery(read('eight-gpus', 'query.csv'), parseCudaVersion(read('eight-gpus', 'header.txt')));
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(gpus.map((g) => g.uuid)).size).toBe(8);
    expect(gpus.every((g) => g.name === 'NVIDIA H100 80GB HBM3' && g.memoryMiB === 81559 && g.driver === '560.35.03' && g.cuda === '12.6' && g.migMode === 'disabled')).toBe(true);
    expect(parseDriverVersion(read('eight-gpus', 'header.txt'))).toBe('560.35.03');
  });

  it('MIG enabled on one of two A100s', () => {
    const gpus = parseGpuQuery(read('mig', 'query.csv'), parseCudaVersion(read('mig', 'header.txt')));
    expect(gpus.map((g) => [g.index, g.migMode])).toEqual([
      [0, 'enabled'],
      [1, 'disabled'],
    ]);
    expect(gpus[0]!.cuda).toBe('12.2');
  });

  it('driver error: no GPU rows, and a reason that quotes nvidia-smi', () => {
    const out = read('driver-error', 'error.txt');
    expect(parseGpuQuery(out)).toEqual([]);
    expect(nvidiaSmiFailureReason(out, 9)).toBe(
      "The NVIDIA driver is not loaded: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    );
    expect(nvidiaSmiFailureReason('No devices were found\n', 6)).toBe('nvidia-smi found no NVIDIA GPU on this machine.');
  });

  it('keeps a GPU name that contains a comma and skips lines that are not GPU rows', () => {
    const gpus = parseGpuQuery('WARNING: infoROM is corrupted at gpu 0000:01:00.0\n0, GPU-aaaa, NVIDIA RTX A6000, Ada Generation, 49140, 550.1, [N/A]\n\n');
    expect(gpus).toEqual([{ index: 0, uuid: 'GPU-aaaa', name: 'NVIDIA RTX A6000, Ada Generation', memoryMiB: 49140, driver: '550.1', migMode: 'n/a' }]);
  });
});
