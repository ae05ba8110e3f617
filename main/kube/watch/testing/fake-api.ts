/**
 * An in-memory stand-in for one collection of an API server, speaking to the watch engine
 * through the same two calls as KubeClient (request for paged LISTs, stream for watches), for
 * unit tests of reconnect/relist logic under fake timers. Real API servers are exercised by the
 * integration tests in test/integration/watch-*.test.ts.
 */
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../../../shared/errors';
import type { KubeObject } from '../../../../shared/k8s/kube-object';
import type { KubeClient, KubeRequest, KubeResponse } from '../../kube-client';

type Fault = { kind: 'error'; error: AppError } | { kind: 'stall' };

export class FakeApi {
  private rv = 100;
  private readonly objects = new Map<string, KubeObject>();
  private readonly log: { rv: number; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }[] = [];
  /** Events at or below this resourceVersion are compacted: watching from there is 410. */
  compactedBelow = 0;
  /** Continue tokens issued before this rv are expired (410). */
  continueExpiredBefore = 0;
  private readonly watchers = new Set<PassThrough>();
  readonly faults: { list: Fault[]; watch: Fault[] } = { list: [], watch: [] };
  readonly calls: { list: number; watch: number; watchFrom: string[] } = { list: 0, watch: 0, watchFrom: [] };

  get resourceVersion(): string {
    return String(this.rv);
  }

  add(name: string, extra: Partial<KubeObject> = {}): KubeObject {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', ...extra, metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: String(++this.rv), managedFields: [{ manager: 'x' }] } } as KubeObject;
    this.objects.set(name, object);
    this.record('ADDED', object);
    return object;
  }

  update(name: string, data: Record<string, unknown>): void {
    const old = this.objects.get(name)!;
    const object = { ...old, ...data, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } } as KubeObject;
    this.objects.set(name, object);
    this.record('MODIFIED', object);
  }

  remove(name: string): void {
    const old = this.objects.get(name)!;
    this.objects.delete(name);
    this.record('DELETED', { ...old, metadata: { ...old.metadata, resourceVersion: String(++this.rv) } } as KubeObject);
  }

  names(): string[] {
    return [...this.objects.keys()].sort();
  }

  /** Ends every open watch as a dropped connection would. */
  dropWatches(): void {
    for (const w of this.watchers) w.destroy(new Error('socket hang up'));
    this.watchers.clear();
  }

  bookmark(): void {
    for (const w of this.watchers) w.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: String(this.rv) } } }) + '\n');
  }

  client(): KubeClient {
    const fake = {
      contextName: 'fake',
      server: new URL('https://fake.invalid'),
      request: async <T>(req: KubeRequest): Promise<KubeResponse<T>> => (await this.list(req)) as KubeResponse<T>,
      stream: async (req: KubeRequest): Promise<IncomingMessage> => this.watch(req),
    };
    return fake as unknown as KubeClient;
  }

  private record(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    this.log.push({ rv: this.rv, type, object });
    const line = JSON.stringify({ type, object }) + '\n';
    for (const w of this.watchers) w.write(line);
  }

  private take(kind: 'list' | 'watch'): Fault | undefined {
    return this.faults[kind].shift();
  }

  private async list(req: KubeRequest): Promise<KubeResponse<unknown>> {
    this.calls.list++;
    const fault = this.take('list');
    if (fault?.kind === 'error') throw fault.error;
    if (fault?.kind === 'stall') return new Promise(() => undefined);
    const limit = Number(req.query?.limit ?? 500);
    const token = req.query?.continue as string | undefined;
    let snapshotRv = this.rv;
    let offset = 0;
    if (token) {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString()) as { rv: number; offset: number };
      if (parsed.rv < this.continueExpiredBefore) {
        throw new AppError('KUBE_API_ERROR', 'The provided continue parameter is too old', { details: { status: 410, reason: 'Expired' } });
      }
      snapshotRv = parsed.rv;
      offset = parsed.offset;
    }
    const all = [...this.objects.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const page = all.slice(offset, offset + limit).map((o) => structuredClone({ ...o, kind: undefined, apiVersion: undefined }));
    const next = offset + limit < all.length ? Buffer.from(JSON.stringify({ rv: snapshotRv, offset: offset + limit })).toString('base64') : undefined;
    return { status: 200, headers: {}, body: { kind: 'ConfigMapList', metadata: { resourceVersion: String(snapshotRv), ...(next ? { continue: next } : {}) }, items: page } };
  }

  private async watch(req: KubeRequest): Promise<IncomingMessage> {
    this.calls.watch++;
    this.calls.watchFrom.push(String(req.query?.resourceVersion));
    const fault = this.take('watch');
    if (fault?.kind === 'error') throw fault.error;
    const from = Number(req.query?.resourceVersion ?? 0);
    const stream = new PassThrough() as PassThrough & { complete: boolean };
    stream.complete = false;
    if (fault?.kind === 'stall') return stream as unknown as IncomingMessage;
    if (from < this.compactedBelow) {
      stream.write(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', message: `too old resource version: ${from}`, reason: 'Expired', code: 410 } }) + '\n');
      stream.complete = true;
      stream.end();
      return stream as unknown as IncomingMessage;
    }
    for (const entry of this.log) if (entry.rv > from) stream.write(JSON.stringify({ type: entry.type, object: entry.object }) + '\n');
    this.watchers.add(stream);
    stream.once('close', () => this.watchers.delete(stream));
    return stream as unknown as IncomingMessage;
  }
}
