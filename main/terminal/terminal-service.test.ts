import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalEvent } from '../../shared/models/views-logs';
import { TerminalService } from './terminal-service';

describe('TerminalService local shell', () => {
  const services: TerminalService[] = [];
  afterEach(() => services.splice(0).forEach((s) => s.dispose()));

  it('runs the shell with KUBECONFIG selecting the context, without copying credentials', async () => {
    const service = new TerminalService(async () => {
      throw new Error('no cluster needed');
    }, () => ['/home/u/.kube/config', '/home/u/other.yaml'], { ...process.env, SHELL: '/bin/bash' });
    services.push(service);
    const events: TerminalEvent[] = [];
    const output = () => events.map((e) => (e.type === 'output' ? e.data : '')).join('');
    service.open({ kind: 'local', context: 'kind-gpu' }, { cols: 100, rows: 30 }, (e) => events.push(e));
    const started = events.find((e) => e.type === 'started');
    expect(started).toMatchObject({ type: 'started', description: expect.stringContaining('kubectl context kind-gpu') });
    const sessionId = (started as { sessionId: string }).sessionId;
    service.write(sessionId, 'echo "KC=$KUBECONFIG"; cat "${KUBECONFIG%%:*}"; exit 7\r');
    await expect.poll(() => events.some((e) => e.type === 'exit'), { timeout: 10_000 }).toBe(true);
    const text = output();
    // The PTY echoes the command line too; the expanded value is the one starting with a path.
    const kc = /KC=(\/[^\s"]+)/.exec(text)?.[1] ?? '';
    const [selector, ...rest] = kc.split(':');
    expect(rest).toEqual(['/home/u/.kube/config', '/home/u/other.yaml']);
    expect(text).toContain('current-context: "kind-gpu"');
    expect(text).not.toMatch(/token|client-key/);
    expect(events.at(-1)).toMatchObject({ type: 'exit', code: 7 });
    // The selector file is removed with the session.
    expect(fs.existsSync(selector!)).toBe(false);
    expect(() => service.write(sessionId, 'x')).toThrow(/ended/);
  });
});
