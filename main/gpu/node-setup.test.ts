import { describe, expect, it } from 'vitest';
import { dockerExecArgs, gpuNodeSteps } from './node-setup';
import { parseMinorNumbers } from './nvidia-smi-parse';

describe('GPU node steps', () => {
  it('hides devices by the minor numbers given, and runs each script with sh -c under its step id', () => {
    const steps = gpuNodeSteps([0, 2], [3, 1]);
    expect(steps.map((s) => s.id)).toEqual(['proc-driver-params', 'hide-devices', 'install-toolkit', 'configure-containerd']);
    const hide = steps[1]!;
    expect(dockerExecArgs('w', hide, { DRIVER_ROOT: '/fake' })).toEqual(['exec', '-e', 'DRIVER_ROOT=/fake', 'w', 'sh', '-c', hide.script, 'hide-devices', '3', '1']);
    // The mount helpers travel with every script that uses them.
    expect(hide.script).toMatch(/^#!\/bin\/sh[\s\S]*is_mounted\(\)[\s\S]*unmount_all "\$dev"/);
  });

  it('a worker with every GPU hides nothing', () => {
    expect(gpuNodeSteps('all').map((s) => s.id)).toEqual(['proc-driver-params', 'install-toolkit', 'configure-containerd']);
  });

  it('parses index → minor number lines, skipping what does not fit', () => {
    const minors = parseMinorNumbers('0, 1\n1, 0\n\nNo devices were found\n7, 3\r\n');
    expect([...minors]).toEqual([[0, 1], [1, 0], [7, 3]]);
  });
});
