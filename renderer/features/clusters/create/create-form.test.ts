import { describe, expect, it } from 'vitest';
import { defaultForm, gpuLines, gpuModes, parsePorts, preflightSummary, toRequest } from './create-form';

describe('Create Cluster form model', () => {
  it('kind with two workers and GPU groups 0/1, sharing and ingress ports', () => {
    const form = { ...defaultForm('kind'), name: 'gpu', workers: '2', gpuMode: 'groups' as const, gpuGroups: '0 / 1', gpuSharing: '4', ports: '80:80, 443:443', verifyGpu: true };
    expect(toRequest(form)).toEqual({
      errors: {},
      request: {
        provider: 'kind',
        name: 'gpu',
        nodes: 2,
        keepOnFailure: false,
        gpus: '0/1',
        gpuSharing: 4,
        ports: [
          { host: 80, container: 80 },
          { host: 443, container: 443 },
        ],
        addons: { metricsServer: true, devicePlugin: true, verifyGpu: true },
      },
    });
  });

  it('k3d GPU count; simulated GPU nodes', () => {
    expect(toRequest({ ...defaultForm('k3d'), name: 'edge', gpuMode: 'count', gpuCount: '2' }).request).toMatchObject({ provider: 'k3d', gpus: '2' });
    expect(toRequest({ ...defaultForm('kwok'), name: 'sim', gpuNodes: '3', gpusPerNode: '4' }).request).toEqual({
      provider: 'kwok',
      name: 'sim',
      nodes: 1,
      keepOnFailure: false,
      gpuNodes: 3,
      gpusPerNode: 4,
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      addons: { metricsServer: true },
    });
  });

  it('reports each bad field instead of a request', () => {
    expect(toRequest({ ...defaultForm('kind'), name: 'Bad Name' }).errors.name).toMatch(/lowercase/);
    expect(toRequest({ ...defaultForm('kind'), name: 'ok', workers: 'two' }).errors.workers).toBe('a whole number');
    expect(toRequest({ ...defaultForm('kind'), name: 'ok', ports: '80' }).errors.ports).toBe('"80" is not HOST:CONTAINER (e.g. 80:80)');
    expect(toRequest({ ...defaultForm('kind'), name: 'ok', gpuMode: 'groups', gpuGroups: '0//1' }).errors.gpuGroups).toMatch(/GPU indexes/);
    expect(toRequest({ ...defaultForm('k3d'), name: 'ok', gpuMode: 'count', gpuCount: '0' }).errors.gpuCount).toBe('a number of GPUs, 1 or more');
    expect(toRequest({ ...defaultForm('kind'), name: '' }).request).toBeUndefined();
    // A simulated GPU product becomes a node label: said at the field, before anything is created.
    expect(toRequest({ ...defaultForm('kwok'), name: 'sim', gpuProduct: 'NVIDIA H100' }).errors.gpuProduct).toMatch(/cannot be a node label value/);
  });

  it('GPU choices per provider; ports parse', () => {
    expect(gpuModes('kind').map((m) => m.value)).toEqual(['none', 'all', 'split', 'groups']);
    expect(gpuModes('k3d').map((m) => m.value)).toEqual(['none', 'all', 'count']);
    expect(gpuModes('kwok')).toEqual([]);
    expect(parsePorts('')).toEqual({ ports: [] });
  });

  it('preflight blocks on any failure, not on warnings', () => {
    const check = (status: 'ok' | 'warn' | 'fail' | 'skip') => ({ id: status, title: status, status, detail: '' });
    expect(preflightSummary(undefined)).toMatchObject({ blocking: true, label: 'Checking…' });
    expect(preflightSummary({ checks: [check('ok'), check('fail')], notes: [] })).toEqual({ blocking: true, label: '1 problem to fix first', tone: 'error' });
    expect(preflightSummary({ checks: [check('ok'), check('warn'), check('skip')], notes: [] })).toEqual({ blocking: false, label: 'Ready, with 1 warning', tone: 'warn' });
    expect(preflightSummary({ checks: [check('ok')], notes: [] })).toEqual({ blocking: false, label: 'Ready to create', tone: 'ok' });
  });

  it('detected GPUs as lines', () => {
    expect(gpuLines({ gpus: [{ index: 0, uuid: 'GPU-a', name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960, driver: '535', migMode: 'enabled' }] })).toEqual(['GPU 0 · NVIDIA A100-SXM4-40GB · 40960 MiB · MIG on']);
    expect(gpuLines(undefined)).toEqual([]);
  });
});
