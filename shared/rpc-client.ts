/**
 * The client half of the protocol, shared by the preload bridge and the browser's WebSocket
 * transport. {@link createRpcEndpoint} speaks the wire format; {@link createTypedClient} gives the
 * renderer typed `call`, `subscribe` and `runTask` over any {@link RawRpc}.
 */
import { AppError } from './errors';
import { serverMessageSchema, type ClientMessage } from './protocol';
import type {
  ArgsOf,
  Contract,
  PayloadOf,
  ProgressOf,
  ResponseOf,
  ResultOf,
  WireNames,
} from './contract/define';

/** Untyped calls and subscriptions; what `window.slipway` exposes in the Electron app. */
export interface RawRpc {
  call(name: string, args: unknown): Promise<unknown>;
  /** Returns the unsubscribe function. `onEnd` gets the final result or error once. */
  subscribe(
    name: string,
    params: unknown,
    onEvent: (payload: unknown) => void,
    onEnd: (outcome: { result?: unknown; error?: AppError }) => void,
  ): () => void;
}

export interface RpcEndpoint extends RawRpc {
  /** Feed every message that arrives from the server. */
  receive(raw: unknown): void;
  /** The transport dropped: pending calls fail; live event subscriptions wait for `reconnected`. */
  disconnected(): void;
  /** The transport is back: live event subscriptions are sent again. */
  reconnected(): void;
}

interface LiveSubscription {
  message: ClientMessage & { t: 'sub' };
  onEvent: (payload: unknown) => void;
  onEnd: (outcome: { result?: unknown; error?: AppError }) => void;
  /** Tasks are not resumed after a reconnect: their work on the server is gone. */
  resumable: boolean;
  /** A detachable task runs on in the backend: after a reconnect it is followed again through `tasks.attach`. */
  detachable: boolean;
  /** The run id its progress carries (detachable tasks). */
  runId?: string;
}

export function createRpcEndpoint(
  send: (message: ClientMessage) => void,
  options: { isResumable?: (name: string) => boolean; isDetachable?: (name: string) => boolean } = {},
): RpcEndpoint {
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: AppError): void }>();
  const subscriptions = new Map<number, LiveSubscription>();
  const trySend = (message: ClientMessage): boolean => {
    try {
      send(message);
      return true;
    } catch {
      return false;
    }
  };

  return {
    call(name, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (!trySend({ t: 'call', id, method: name, args })) {
          pending.delete(id);
          reject(new AppError('UNAVAILABLE', 'Not connected to the Slipway backend.', { fix: 'Wait a moment or reload.' }));
        }
      });
    },
    subscribe(name, params, onEvent, onEnd) {
      const id = nextId++;
      const message = { t: 'sub', id, event: name, params } as const;
      subscriptions.set(id, { message, onEvent, onEnd, resumable: options.isResumable?.(name) ?? true, detachable: options.isDetachable?.(name) ?? false });
      trySend(message);
      return () => {
        const subscription = subscriptions.get(id);
        if (!subscriptions.delete(id)) return;
        // Following a re-attached run: stopping to follow would leave it running; cancel means cancel.
        if (subscription?.runId && subscription.message.event === 'tasks.attach') trySend({ t: 'call', id: nextId++, method: 'tasks.cancel', args: { runId: subscription.runId } });
        trySend({ t: 'unsub', id });
      };
    },
    receive(raw) {
      const parsed = serverMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      if (message.t === 'ok' || message.t === 'err') {
        const waiter = pending.get(message.id);
        if (!waiter) return;
        pending.delete(message.id);
        if (message.t === 'ok') waiter.resolve(message.result);
        else waiter.reject(AppError.fromWire(message.error));
        return;
      }
      const subscription = subscriptions.get(message.id);
      if (!subscription) return;
      if (message.t === 'ev') {
        const runId = (message.payload as { runId?: unknown } | null)?.runId;
        if (subscription.detachable && typeof runId === 'string') subscription.runId = runId;
        subscription.onEvent(message.payload);
      } else {
        subscriptions.delete(message.id);
        subscription.onEnd(message.error ? { error: AppError.fromWire(message.error) } : { result: message.result });
      }
    },
    disconnected() {
      const lost = new AppError('UNAVAILABLE', 'Lost the connection to the Slipway backend.', {
        fix: 'Slipway reconnects by itself; retry in a moment.',
      });
      for (const waiter of pending.values()) waiter.reject(lost);
      pending.clear();
      for (const [id, subscription] of subscriptions) {
        if (subscription.detachable && subscription.runId) {
          // The run goes on in the backend: follow it again once the connection is back.
          subscription.message = { t: 'sub', id, event: 'tasks.attach', params: { runId: subscription.runId } };
          continue;
        }
        if (subscription.resumable && !subscription.detachable) continue;
        subscriptions.delete(id);
        subscription.onEnd({ error: lost });
      }
    },
    reconnected() {
      for (const subscription of subscriptions.values()) trySend(subscription.message);
    },
  };
}

export interface TaskHandle<Result> {
  result: Promise<Result>;
  cancel(): void;
}

/** Typed facade over {@link RawRpc}: names, arguments and results checked against the contract. */
export interface TypedClient<C extends Contract> {
  call<N extends WireNames<C, 'method'>>(name: N, args: ArgsOf<C, N>): Promise<ResponseOf<C, N>>;
  subscribe<N extends WireNames<C, 'event'>>(
    name: N,
    params: ArgsOf<C, N>,
    onPayload: (payload: PayloadOf<C, N>) => void,
    onError?: (error: AppError) => void,
  ): () => void;
  runTask<N extends WireNames<C, 'task'>>(
    name: N,
    args: ArgsOf<C, N>,
    onProgress: (progress: ProgressOf<C, N>) => void,
  ): TaskHandle<ResultOf<C, N>>;
}

export function createTypedClient<C extends Contract>(raw: RawRpc): TypedClient<C> {
  return {
    call: (name, args) => raw.call(name, args) as Promise<never>,
    subscribe(name, params, onPayload, onError) {
      return raw.subscribe(
        name,
        params,
        (payload) => onPayload(payload as never),
        (outcome) => {
          if (outcome.error) onError?.(outcome.error);
        },
      );
    },
    runTask(name, args, onProgress) {
      let unsubscribe: () => void = () => {};
      let settled = false;
      let rejectResult: (error: AppError) => void = () => {};
      const result = new Promise<never>((resolve, reject) => {
        rejectResult = reject;
        unsubscribe = raw.subscribe(
          name,
          args,
          (progress) => onProgress(progress as never),
          (outcome) => {
            settled = true;
            if (outcome.error) reject(outcome.error);
            else resolve(outcome.result as never);
          },
        );
      });
      return {
        result,
        cancel() {
          if (settled) return;
          settled = true;
          unsubscribe();
          rejectResult(new AppError('CANCELLED', 'Cancelled.'));
        },
      };
    },
  };
}
