import { useCallback, useEffect, useRef, useState } from 'react';
import type { SlipwayContract } from '../../shared/contract';
import type { ArgsOf, PayloadOf, ProgressOf, ResponseOf, ResultOf, WireNames } from '../../shared/contract/define';
import type { AppError } from '../../shared/errors';
import type { TaskHandle } from '../../shared/rpc-client';
import { asAppError, useClient } from './client';

type C = SlipwayContract;

export interface CallState<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload(): void;
}

/** Calls a method when mounted and whenever `args` change (compared as JSON). */
export function useCall<N extends WireNames<C, 'method'>>(name: N, args: ArgsOf<C, N>, options: { enabled?: boolean } = {}): CallState<ResponseOf<C, N>> {
  const client = useClient();
  const key = JSON.stringify(args);
  const enabled = options.enabled ?? true;
  const [state, setState] = useState<{ data?: ResponseOf<C, N>; error?: AppError; loading: boolean }>({ loading: enabled });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    client.call(name, JSON.parse(key) as ArgsOf<C, N>).then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error: asAppError(error), loading: false })),
    );
    return () => {
      live = false;
    };
  }, [client, name, key, generation, enabled]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Subscribes while mounted; keeps the latest payload (or folds payloads with `reduce`). */
export function useSubscription<N extends WireNames<C, 'event'>, S = PayloadOf<C, N>>(
  name: N,
  params: ArgsOf<C, N> | null,
  reduce?: (state: S | undefined, payload: PayloadOf<C, N>) => S,
): { data: S | undefined; error: AppError | undefined } {
  const client = useClient();
  const key = params === null ? null : JSON.stringify(params);
  const reduceRef = useRef(reduce);
  reduceRef.current = reduce;
  const [state, setState] = useState<{ data?: S; error?: AppError }>({});
  useEffect(() => {
    if (key === null) return;
    setState({});
    return client.subscribe(
      name,
      JSON.parse(key) as ArgsOf<C, N>,
      (payload) =>
        setState((s) => ({ data: reduceRef.current ? reduceRef.current(s.data, payload) : (payload as unknown as S) })),
      (error) => setState((s) => ({ ...s, error })),
    );
  }, [client, name, key]);
  return { data: state.data, error: state.error };
}

export interface TaskState<P, R> {
  running: boolean;
  progress: P | undefined;
  log: string[];
  result: R | undefined;
  error: AppError | undefined;
  start(args: ArgsOf<C, WireNames<C, 'task'>>): Promise<R | undefined>;
  cancel(): void;
}

/** Runs long work with progress and a cancel button; collects `log` lines from progress updates. */
export function useTask<N extends WireNames<C, 'task'>>(name: N): TaskState<ProgressOf<C, N>, ResultOf<C, N>> {
  const client = useClient();
  const handle = useRef<TaskHandle<ResultOf<C, N>> | null>(null);
  const [state, setState] = useState<{ running: boolean; progress?: ProgressOf<C, N>; log: string[]; result?: ResultOf<C, N>; error?: AppError }>({ running: false, log: [] });
  useEffect(() => () => handle.current?.cancel(), []);
  const start = useCallback(
    async (args: ArgsOf<C, N>) => {
      handle.current?.cancel();
      setState({ running: true, log: [] });
      const task = client.runTask(name, args, (progress) =>
        setState((s) => {
          const lines = (progress as { log?: string[] }).log ?? [];
          return { ...s, progress, log: lines.length ? [...s.log, ...lines].slice(-2000) : s.log };
        }),
      );
      handle.current = task;
      try {
        const result = await task.result;
        setState((s) => ({ ...s, running: false, result }));
        return result;
      } catch (error) {
        setState((s) => ({ ...s, running: false, error: asAppError(error) }));
        return undefined;
      } finally {
        if (handle.current === task) handle.current = null;
      }
    },
    [client, name],
  );
  const cancel = useCallback(() => handle.current?.cancel(), []);
  return { running: state.running, progress: state.progress, log: state.log, result: state.result, error: state.error, start: start as TaskState<ProgressOf<C, N>, ResultOf<C, N>>['start'], cancel };
}
