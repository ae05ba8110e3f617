import { AppError, toAppError } from '../../shared/errors';
import { clientMessageSchema, type ServerMessage } from '../../shared/protocol';
import { flattenContract, type AnyDescriptor, type Contract } from '../../shared/contract/define';
import type { Disposable } from '../../shared/disposable';
import type { CallContext, Handlers } from './handlers';
import type { Logger } from '../logger';
import type { TaskRuns } from './task-runs';

/** At most this many live subscriptions per connection; more is a misbehaving peer. */
const MAX_SUBSCRIPTIONS = 2000;

type AnyHandler = (...args: any[]) => any;

/**
 * Routes wire messages to handlers. Transport-agnostic: each connection (a renderer frame, a
 * WebSocket) opens an {@link RpcSession} with its own send function and subscriptions.
 */
export class RpcRouter<C extends Contract> {
  private readonly table: ReadonlyMap<string, { descriptor: AnyDescriptor; handler: AnyHandler }>;

  constructor(
    contract: C,
    handlers: Handlers<C>,
    private readonly log: Logger,
    /** Where detachable tasks run; without it they end with their connection like any task. */
    private readonly runs?: TaskRuns,
  ) {
    const table = new Map<string, { descriptor: AnyDescriptor; handler: AnyHandler }>();
    for (const [name, descriptor] of flattenContract(contract)) {
      const [domain, key] = name.split('.') as [string, string];
      const handler = (handlers as Record<string, Record<string, AnyHandler>>)[domain]?.[key];
      if (typeof handler !== 'function') throw new Error(`No handler for ${name}`);
      table.set(name, { descriptor, handler });
    }
    this.table = table;
  }

  openSession(send: (message: ServerMessage) => void, ctx: CallContext): RpcSession {
    return new RpcSession(this.table, send, ctx, this.log, this.runs);
  }
}

interface Subscription {
  disposable?: Disposable;
  /** For a detachable task: what closing the connection does instead of cancelling it. */
  detach?: Disposable;
  closed: boolean;
}

/** One connection's view of the router: validates every message and owns its subscriptions. */
export class RpcSession implements Disposable {
  private readonly subscriptions = new Map<number, Subscription>();
  private disposed = false;

  constructor(
    private readonly table: ReadonlyMap<string, { descriptor: AnyDescriptor; handler: AnyHandler }>,
    private readonly sendRaw: (message: ServerMessage) => void,
    private readonly ctx: CallContext,
    private readonly log: Logger,
    private readonly runs?: TaskRuns,
  ) {}

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Accepts one decoded message from the peer. Never throws. */
  receive(raw: unknown): void {
    if (this.disposed) return;
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      this.log.warn(`rpc: malformed message from ${this.ctx.peer}`);
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) {
        this.send({ t: 'err', id, error: new AppError('INVALID_ARGUMENT', 'Malformed RPC message.').toWire() });
      }
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'call':
        void this.call(message.id, message.method, message.args);
        return;
      case 'sub':
        void this.subscribe(message.id, message.event, message.params);
        return;
      case 'unsub':
        this.unsubscribe(message.id);
        return;
    }
  }

  /** The connection closed: subscriptions end, tasks are cancelled — detachable ones run on. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const [id, subscription] of [...this.subscriptions]) {
      if (subscription.detach) {
        subscription.closed = true;
        this.subscriptions.delete(id);
        subscription.detach.dispose();
      } else this.unsubscribe(id);
    }
  }

  private send(message: ServerMessage): void {
    if (this.disposed) return;
    try {
      this.sendRaw(message);
    } catch (error) {
      this.log.warn(`rpc: send to ${this.ctx.peer} failed: ${toAppError(error).message}`);
    }
  }

  private resolve(name: string, kinds: AnyDescriptor['kind'][]) {
    const entry = this.table.get(name);
    if (!entry || !kinds.includes(entry.descriptor.kind)) {
      throw new AppError('UNKNOWN_METHOD', `Unknown ${kinds.join(' or ')} "${name}".`, {
        fix: 'The app and its backend may be different versions; restart Slipway.',
      });
    }
    return entry;
  }

  private validate(descriptor: AnyDescriptor, name: string, args: unknown): unknown {
    const result = descriptor.request.safeParse(args ?? {});
    if (result.success) return result.data;
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    throw new AppError(
      'INVALID_ARGUMENT',
      `Invalid arguments for ${name}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'rejected'}.`,
      { details: { issues } },
    );
  }

  private async call(id: number, name: string, args: unknown): Promise<void> {
    try {
      const { descriptor, handler } = this.resolve(name, ['method']);
      const request = this.validate(descriptor, name, args);
      const result = await handler(request, this.ctx);
      this.send({ t: 'ok', id, result: result ?? null });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'INTERNAL') this.log.error(`rpc: ${name} failed`, error);
      this.send({ t: 'err', id, error: appError.toWire() });
    }
  }

  private async subscribe(id: number, name: string, params: unknown): Promise<void> {
    if (this.subscriptions.has(id)) {
      this.send({ t: 'end', id, error: new AppError('INVALID_ARGUMENT', `Subscription id ${id} is in use.`).toWire() });
      return;
    }
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      this.send({ t: 'end', id, error: new AppError('UNAVAILABLE', 'Too many subscriptions on this connection.').toWire() });
      return;
    }
    const subscription: Subscription = { closed: false };
    this.subscriptions.set(id, subscription);
    const end = (message: Omit<Extract<ServerMessage, { t: 'end' }>, 't' | 'id'>) => {
      if (subscription.closed) return;
      subscription.closed = true;
      this.subscriptions.delete(id);
      this.send({ t: 'end', id, ...message });
    };
    try {
      const { descriptor, handler } = this.resolve(name, ['event', 'task']);
      const request = this.validate(descriptor, name, params);
      const emit = (payload: unknown) => {
        if (!subscription.closed) this.send({ t: 'ev', id, payload });
      };
      if (descriptor.kind === 'task' && descriptor.detachable && this.runs) {
        await this.runDetachable(name, request, handler, subscription, emit, end);
      } else if (descriptor.kind === 'task') {
        const abort = new AbortController();
        subscription.disposable = { dispose: () => abort.abort() };
        const io = { progress: emit, signal: abort.signal };
        const result = await handler(request, io, this.ctx);
        end({ result: result ?? null });
      } else {
        const disposable: Disposable = await handler(request, emit, this.ctx);
        if (subscription.closed) disposable.dispose();
        else subscription.disposable = disposable;
      }
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'INTERNAL') this.log.error(`rpc: ${name} failed`, error);
      end({ error: appError.toWire() });
    }
  }

  /** A task that outlives this connection: an unsubscribe cancels it, a closed connection does not. */
  private async runDetachable(name: string, request: unknown, handler: AnyHandler, subscription: Subscription, emit: (payload: unknown) => void, end: (message: { result?: unknown }) => void): Promise<void> {
    const runs = this.runs!;
    const abort = new AbortController();
    const runId = runs.start(name, abort);
    subscription.disposable = { dispose: () => abort.abort() };
    subscription.detach = runs.listen(runId, emit);
    const io = { progress: (update: Record<string, unknown>) => runs.progress(runId, { ...(update as { phase: string; percent: number }), runId }), signal: abort.signal };
    try {
      const result = await handler(request, io, this.ctx);
      runs.finish(runId, { result: result ?? null });
      end({ result: result ?? null });
    } catch (error) {
      runs.finish(runId, { error: toAppError(error).toWire() });
      throw error;
    }
  }

  private unsubscribe(id: number): void {
    const subscription = this.subscriptions.get(id);
    if (!subscription) return;
    subscription.closed = true;
    this.subscriptions.delete(id);
    subscription.disposable?.dispose();
  }
}
