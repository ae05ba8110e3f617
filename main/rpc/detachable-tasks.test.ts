import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { task } from '../../shared/contract/define';
import { tasksContract } from '../../shared/contract/tasks';
import { createRpcEndpoint } from '../../shared/rpc-client';
import type { Services } from '../services';
import { tasksHandlers } from './handlers/tasks';
import type { ServerMessage } from '../../shared/protocol';
import { silentLogger } from '../logger';
import type { Handlers, TaskIo } from './handlers';
import { RpcRouter } from './router';
import { TaskRuns } from './task-runs';

const contract = {
  tasks: tasksContract,
  work: {
    apply: task<Record<string, never>, { phase: string; percent: number }, { done: true }>(z.object({}), { detachable: true }),
    plain: task<Record<string, never>, { phase: string; percent: number }, { done: true }>(z.object({})),
  },
} as const;

/** A task whose steps the test drives: `step()` reports progress, `finish()` ends it. */
function controllable() {
  let io: TaskIo<{ phase: string; percent: number }> | undefined;
  let finish: () => void = () => {};
  const started = vi.fn();
  const handler = (_: unknown, taskIo: TaskIo<{ phase: string; percent: number }>) =>
    new Promise<{ done: true }>((resolve, reject) => {
      io = taskIo;
      started();
      taskIo.signal.addEventListener('abort', () => reject(new Error('cancelled')));
      finish = () => resolve({ done: true });
    });
  return { handler, step: (percent: number) => io!.progress({ phase: 'apply', percent }), finish: () => finish(), signal: () => io!.signal, started };
}

function setup() {
  const apply = controllable();
  const plain = controllable();
  const runs = new TaskRuns();
  const handlers: Handlers<typeof contract> = { tasks: tasksHandlers({ taskRuns: runs } as Services), work: { apply: apply.handler, plain: plain.handler } };
  const router = new RpcRouter(contract, handlers, silentLogger, runs);
  const open = () => {
    const sent: ServerMessage[] = [];
    return { sent, session: router.openSession((m) => sent.push(m), { face: 'serve', peer: 'page' }) };
  };
  return { apply, plain, runs, open };
}

describe('detachable tasks', () => {
  it('run on when the connection closes, and a new connection re-attaches to their progress and result', async () => {
    const { apply, runs, open } = setup();
    const first = open();
    first.session.receive({ t: 'sub', id: 1, event: 'work.apply', params: {} });
    await vi.waitFor(() => expect(apply.started).toHaveBeenCalled());
    apply.step(10);
    const runId = (first.sent[0] as Extract<ServerMessage, { t: 'ev' }>).payload as { runId: string };
    expect(first.sent).toEqual([{ t: 'ev', id: 1, payload: { phase: 'apply', percent: 10, runId: expect.stringMatching(/^[a-f0-9]{16}$/) } }]);

    first.session.dispose(); // the tunnel blipped
    expect(apply.signal().aborted).toBe(false);
    apply.step(50);
    expect(first.sent).toHaveLength(1);
    expect(runs.list()).toEqual([expect.objectContaining({ runId: runId.runId, task: 'work.apply', state: 'running', progress: expect.objectContaining({ percent: 50 }) })]);

    const seen: number[] = [];
    const ended = new Promise((resolve) => runs.attach(runId.runId, (p) => seen.push(p.percent), resolve));
    apply.step(90);
    apply.finish();
    expect(await ended).toEqual({ result: { done: true } });
    expect(seen).toEqual([50, 90]);
    expect(runs.list()[0]!.state).toBe('succeeded');
    runs.dispose();
  });

  it('are cancelled by an explicit unsubscribe or cancel, and plain tasks still end with their connection', async () => {
    const { apply, plain, runs, open } = setup();
    const page = open();
    page.session.receive({ t: 'sub', id: 1, event: 'work.apply', params: {} });
    await vi.waitFor(() => expect(apply.started).toHaveBeenCalled());
    page.session.receive({ t: 'unsub', id: 1 });
    expect(apply.signal().aborted).toBe(true);

    page.session.receive({ t: 'sub', id: 2, event: 'work.plain', params: {} });
    await vi.waitFor(() => expect(plain.started).toHaveBeenCalled());
    page.session.dispose();
    expect(plain.signal().aborted).toBe(true);
    runs.dispose();
  });

  it('the client follows a detachable task across a reconnect, and its cancel still cancels the run', async () => {
    const { apply, open, runs } = setup();
    let session = open().session;
    const endpoint = createRpcEndpoint((m) => queueMicrotask(() => session.receive(JSON.parse(JSON.stringify(m)))), { isDetachable: (name) => name === 'work.apply' });
    const wire = () => {
      const page = open();
      session = page.session;
      // Deliver what the server sends to the endpoint as the socket would.
      const forward = page.sent.push.bind(page.sent);
      page.sent.push = (...messages: ServerMessage[]) => {
        for (const m of messages) queueMicrotask(() => endpoint.receive(JSON.parse(JSON.stringify(m))));
        return forward(...messages);
      };
    };
    wire();
    const progress: number[] = [];
    let outcome: unknown;
    const cancel = endpoint.subscribe('work.apply', {}, (p) => progress.push((p as { percent: number }).percent), (o) => (outcome = o));
    await vi.waitFor(() => expect(apply.started).toHaveBeenCalled());
    apply.step(10);
    await vi.waitFor(() => expect(progress).toEqual([10]));

    session.dispose();
    endpoint.disconnected();
    expect(outcome).toBeUndefined(); // not failed: it waits to re-attach
    apply.step(40);
    wire();
    endpoint.reconnected();
    await vi.waitFor(() => expect(progress).toEqual([10, 40]));
    apply.step(70);
    await vi.waitFor(() => expect(progress).toEqual([10, 40, 70]));
    cancel();
    await vi.waitFor(() => expect(apply.signal().aborted).toBe(true));
    runs.dispose();
  });
});
