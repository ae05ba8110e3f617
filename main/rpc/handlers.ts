import type { Disposable } from '../../shared/disposable';
import type {
  Contract,
  EventDescriptor,
  MethodDescriptor,
  TaskDescriptor,
} from '../../shared/contract/define';

/** What a handler knows about the caller. */
export interface CallContext {
  face: 'electron' | 'serve' | 'cli';
  /** A label for logs: the WebSocket peer or the renderer's frame. */
  peer: string;
}

/** Given to task handlers: report progress; stop when `signal` aborts. */
export interface TaskIo<Progress> {
  progress(update: Progress): void;
  signal: AbortSignal;
}

export type HandlerFor<D> =
  D extends MethodDescriptor<infer Req, infer Res>
    ? (request: Req, ctx: CallContext) => Res | Promise<Res>
    : D extends EventDescriptor<infer Params, infer Payload>
      ? (params: Params, emit: (payload: Payload) => void, ctx: CallContext) => Disposable | Promise<Disposable>
      : D extends TaskDescriptor<infer Req, infer Progress, infer Result>
        ? (request: Req, io: TaskIo<Progress>, ctx: CallContext) => Promise<Result>
        : never;

/**
 * One handler per descriptor of the contract, mirrored by domain. A descriptor without a handler
 * (or a handler of the wrong shape) is a compile error.
 */
export type Handlers<C extends Contract> = {
  [D in keyof C]: { [K in keyof C[D]]: HandlerFor<C[D][K]> };
};
