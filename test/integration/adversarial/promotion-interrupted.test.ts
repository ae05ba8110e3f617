/**
 * Adversarial: rollback works after a cancelled, failed or interrupted apply. The record is
 * written ahead, so whatever stops the apply, rollback puts the target back exactly as it was
 * (compared with a snapshot of the target taken before).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe } from '../../../main/serve';
import type { ServerMessage } from '../../../shared/protocol';
import type { PromotionRecord } from '../../../shared/models/promote';
import { requireControlPlane } from '../../support/control-plane';
import { testServices } from '../../support/fixtures';
import { asIs, configMap, namespace, progressHook, snapshot, startTarget, type Target } from './adversarial-fixtures';

const enabled = requireControlPlane('adversarial: rollback after an interrupted apply');
// The scene's objects were applied by kubectl: the promotion takes their fields over, as a real one would be told to.
const apply = { forceConflicts: true, prune: false, waitTimeoutSeconds: 0, profileSpec: asIs };

/** Existing objects in `ns` (some the bundle changes) and a bundle of 24 objects over `ns` and a new namespace. */
async function scene(t: Target, ns: string): Promise<string> {
  await t.cluster.createNamespace(ns);
  await t.cluster.apply(
    [
      ...Array.from({ length: 6 }, (_, i) => configMap(`cm-${i}`, ns, { v: 'old' })),
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, stringData: { token: 'old-token' } }),
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }),
      JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } }),
    ].join('\n---\n'),
  );
  return t.bundle(`scene-${ns}`, [
    namespace(`${ns}-new`),
    configMap('fresh', `${ns}-new`, { v: 'new' }),
    ...Array.from({ length: 18 }, (_, i) => configMap(`cm-${i}`, ns, { v: 'new' })),
    JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, stringData: { token: 'new-token' } }),
    JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns, labels: { tier: 'front' } }, spec: { selector: { app: 'web', tier: 'front' }, ports: [{ port: 80 }] } }),
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }),
  ]);
}

describe.runIf(enabled)('rollback after a cancelled, failed or interrupted apply', () => {
  let t: Target;

  beforeAll(async () => {
    t = await startTarget();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('cancelled halfway: the record holds what landed, and rollback restores the target exactly', async () => {
    const bundle = await scene(t, 'adv-cancel');
    const before = await snapshot(t.cluster, ['adv-cancel', 'adv-cancel-new']);
    let landed = 0;
    const io = progressHook((p) => {
      // Slow writes from here on, so the cancel finds the apply halfway through the config maps.
      if (p.phase === 'record') t.proxy.inject({ kind: 'delay', ms: 150 }, { match: { method: 'PATCH' } });
      if (p.phase === 'apply config' && ++landed === 8) io.abort();
    });
    await expect(t.services.promote.apply({ bundle, target: t.viaProxy, ...apply }, io)).rejects.toThrow(/cancel/i);
    t.proxy.clear();
    const [summary] = t.services.promote.listHistory();
    expect(summary!.status).toBe('interrupted');
    const record = t.services.promote.getHistory(summary!.id);
    const outcomes = new Set(record.result.map((o) => o.outcome));
    // Some objects landed, the rest never started: a true halfway point.
    expect(outcomes.has('configured') && outcomes.has('created') && outcomes.has('skipped')).toBe(true);
    expect((await t.get(['configmap', 'cm-0', '-n', 'adv-cancel'])).data).toEqual({ v: 'new' });

    const rolled = await t.services.promote.rollback(summary!.id);
    expect(rolled.objects.filter((o) => o.action === 'failed')).toEqual([]);
    expect(await snapshot(t.cluster, ['adv-cancel', 'adv-cancel-new'])).toEqual(before);
  });

  it('crashed mid-apply with a request that landed unanswered: the record left on disk is enough to restore the target exactly', async () => {
    const bundle = await scene(t, 'adv-crash');
    const before = await snapshot(t.cluster, ['adv-crash', 'adv-crash-new']);
    let configDone = 0;
    let crashState: string | undefined;
    let recordFile = '';
    let running: Promise<unknown> = Promise.resolve();
    let stop = () => {};
    const reached = new Promise<void>((resolve) => {
      const io = progressHook((p) => {
        // cm-7 (new) reaches the server, but its answer never comes back: the process "dies" waiting.
        if (p.phase === 'record') t.proxy.inject({ kind: 'lose-answer' }, { match: { method: 'PATCH', path: /\/configmaps\/cm-7$/ } });
        if (p.phase === 'apply config' && ++configDone === 19) {
          recordFile = t.services.promote.listHistory().map((h) => `${t.configDir}/promotions/${h.id}.json`)[0]!;
          crashState = fs.readFileSync(recordFile, 'utf8');
          resolve();
        }
      });
      running = t.services.promote.apply({ bundle, target: t.viaProxy, ...apply }, io).catch(() => undefined);
      stop = () => io.abort();
    });
    await reached;
    // What a crash leaves: the file as it was at that moment, no final save, no process.
    stop();
    await running;
    t.proxy.clear();
    fs.writeFileSync(recordFile, crashState!);
    const left = JSON.parse(crashState!) as PromotionRecord;
    expect(left.status).toBe('interrupted');
    expect(left.result.find((o) => o.ref.name === 'cm-7')).toMatchObject({ outcome: 'pending' });
    expect((await t.get(['configmap', 'cm-7', '-n', 'adv-crash'])).data).toEqual({ v: 'new' });

    // A fresh process reads the record and rolls back.
    const fresh = testServices(t.env, t.configDir);
    try {
      const rolled = await fresh.promote.rollback(left.id);
      expect(rolled.objects.find((o) => o.ref.name === 'cm-7')).toMatchObject({ action: 'deleted' });
      expect(rolled.objects.filter((o) => o.action === 'failed')).toEqual([]);
    } finally {
      fresh.dispose();
    }
    expect(await snapshot(t.cluster, ['adv-crash', 'adv-crash-new'])).toEqual(before);
  });

  it('failed partway (the server refuses objects mid-apply): rollback restores the target exactly', async () => {
    const bundle = await scene(t, 'adv-fail');
    const before = await snapshot(t.cluster, ['adv-fail', 'adv-fail-new']);
    const io = progressHook((p) => {
      if (p.phase === 'record') t.proxy.inject({ kind: 'status', status: 500 }, { match: { method: 'PATCH', path: /\/(services|deployments)\/web$/ } });
    });
    const result = await t.services.promote.apply({ bundle, target: t.viaProxy, ...apply }, io);
    t.proxy.clear();
    expect(result.status).toBe('partial');
    expect(result.objects.filter((o) => o.outcome === 'failed').map((o) => o.ref.kind)).toEqual(['Service', 'Deployment']);
    const rolled = await t.services.promote.rollback(result.id);
    expect(rolled.objects.filter((o) => o.action === 'failed')).toEqual([]);
    expect(await snapshot(t.cluster, ['adv-fail', 'adv-fail-new'])).toEqual(before);
  });

  it('cancelled during the readiness wait: the record is complete and rollback restores the target exactly', async () => {
    const bundle = await scene(t, 'adv-wait');
    const before = await snapshot(t.cluster, ['adv-wait', 'adv-wait-new']);
    // No nodes: the Deployment never becomes ready, so the apply waits until it is cancelled.
    const io = progressHook((p) => {
      if (p.phase === 'wait') io.abort();
    });
    await expect(t.services.promote.apply({ bundle, target: t.cluster.contextName, ...apply, waitTimeoutSeconds: 600 }, io)).rejects.toThrow(/cancel/i);
    const [summary] = t.services.promote.listHistory();
    expect(summary!.status).toBe('interrupted');
    expect(t.services.promote.getHistory(summary!.id).result.filter((o) => o.outcome === 'pending' || o.outcome === 'skipped')).toEqual([]);
    const rolled = await t.services.promote.rollback(summary!.id);
    expect(rolled.objects.filter((o) => o.action === 'failed')).toEqual([]);
    expect(await snapshot(t.cluster, ['adv-wait', 'adv-wait-new'])).toEqual(before);
  });

  it('a browser-mode disconnect does not cancel a running apply: it runs on, and a new page re-attaches to its progress and result', async () => {
    const bundle = await scene(t, 'adv-detach');
    const serve = await startServe({ services: t.services, port: 0, rendererDir: path.join(t.tmp.dir, 'no-renderer') });
    const connect = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/rpc?token=${serve.token}`);
      const messages: ServerMessage[] = [];
      ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
      await new Promise((resolve, reject) => {
        ws.on('open', resolve);
        ws.on('error', reject);
      });
      return { ws, messages };
    };
    try {
      // Slow writes once the apply starts, so the page drops while it is halfway.
      t.proxy.inject({ kind: 'delay', ms: 100 }, { match: { method: 'PATCH', path: /\/configmaps\/cm-1[0-7]$/ } });
      const first = await connect();
      first.ws.send(JSON.stringify({ t: 'sub', id: 1, event: 'promote.apply', params: { bundle, target: t.viaProxy, profileSpec: asIs, waitTimeoutSeconds: 0, forceConflicts: true } }));
      await expect.poll(() => first.messages.some((m) => (m.t === 'ev' && (m.payload as { phase: string }).phase === 'apply config') || m.t === 'end'), { timeout: 60_000 }).toBe(true);
      // Still running when the page drops (an early end would say why it stopped).
      expect(first.messages.find((m) => m.t === 'end')).toBeUndefined();
      const runId = (first.messages.find((m) => m.t === 'ev') as Extract<ServerMessage, { t: 'ev' }>).payload as { runId: string };
      first.ws.terminate(); // an SSH tunnel blip: no close frame, no unsubscribe

      const second = await connect();
      second.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'tasks.listRunning', args: {} }));
      await expect.poll(() => second.messages.find((m) => m.t === 'ok' && m.id === 1)).toBeTruthy();
      const running = (second.messages.find((m) => m.t === 'ok' && m.id === 1) as Extract<ServerMessage, { t: 'ok' }>).result as { runId: string; task: string }[];
      expect(running).toContainEqual(expect.objectContaining({ runId: runId.runId, task: 'promote.apply' }));
      second.ws.send(JSON.stringify({ t: 'sub', id: 2, event: 'tasks.attach', params: { runId: runId.runId } }));
      await expect.poll(() => second.messages.some((m) => m.t === 'end' && m.id === 2), { timeout: 60_000 }).toBe(true);
      const end = second.messages.find((m) => m.t === 'end' && m.id === 2) as Extract<ServerMessage, { t: 'end' }>;
      expect(end.error).toBeUndefined();
      expect((end.result as { status: string }).status).toBe('succeeded');
      expect(second.messages.filter((m) => m.t === 'ev' && m.id === 2).length).toBeGreaterThan(0);
      expect((await t.get(['configmap', 'cm-17', '-n', 'adv-detach'])).data).toEqual({ v: 'new' });
      second.ws.close();
    } finally {
      t.proxy.clear();
      await serve.close();
    }
  });
});
