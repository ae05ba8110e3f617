/**
 * Descriptors for the typed RPC contract. A contract is `{ domain: { name: descriptor } }`; the
 * wire name of a descriptor is `domain.name`. Three kinds:
 *
 * - {@link method}: one request, one answer.
 * - {@link event}: a subscription; the server pushes payloads until the client unsubscribes.
 * - {@link task}: long work (cluster creation, promotion). Progress payloads stream as events and
 *   the final result (or error) ends the subscription; unsubscribing cancels the work.
 *
 * Every request schema is a zod schema: arguments are validated at the boundary before a handler
 * sees them.
 */
import type { z } from 'zod';

export interface MethodDescriptor<Req, Res> {
  readonly kind: 'method';
  readonly request: z.ZodType<Req>;
  /** Phantom: carries the response type; never set at runtime. */
  readonly response?: Res;
}

export interface EventDescriptor<Params, Payload> {
  readonly kind: 'event';
  readonly request: z.ZodType<Params>;
  readonly payload?: Payload;
}

export interface TaskDescriptor<Req, Progress, Result> {
  readonly kind: 'task';
  readonly request: z.ZodType<Req>;
  /**
   * Survives its connection: a closed connection leaves it running (an explicit unsubscribe
   * still cancels it), every progress event carries a `runId`, and a new connection re-attaches
   * through `tasks.attach`. For work that must not stop halfway on a network blip (apply).
   */
  readonly detachable?: boolean;
  readonly progress?: Progress;
  readonly result?: Result;
}

export type AnyDescriptor =
  | MethodDescriptor<any, any>
  | EventDescriptor<any, any>
  | TaskDescriptor<any, any, any>;

export type Domain = Readonly<Record<string, AnyDescriptor>>;
export type Contract = Readonly<Record<string, Domain>>;

export function method<Req, Res>(request: z.ZodType<Req>): MethodDescriptor<Req, Res> {
  return { kind: 'method', request };
}

export function event<Params, Payload>(request: z.ZodType<Params>): EventDescriptor<Params, Payload> {
  return { kind: 'event', request };
}

export function task<Req, Progress, Result>(request: z.ZodType<Req>, options: { detachable?: boolean } = {}): TaskDescriptor<Req, Progress, Result> {
  return { kind: 'task', request, ...(options.detachable ? { detachable: true } : {}) };
}

/** Progress of long work: a named phase and an overall percentage, plus optional log lines. */
export interface TaskProgress {
  phase: string;
  percent: number;
  message?: string;
  log?: string[];
  /** Set on the progress of detachable tasks: the id `tasks.attach` follows. */
  runId?: string;
}

type Join<D extends string, K extends string> = `${D}.${K}`;

/** Every wire name of a contract whose descriptor is of kind `Kind`. */
export type WireNames<C extends Contract, Kind extends AnyDescriptor['kind']> = {
  [D in keyof C & string]: {
    [K in keyof C[D] & string]: C[D][K]['kind'] extends Kind ? Join<D, K> : never;
  }[keyof C[D] & string];
}[keyof C & string];

type Lookup<C extends Contract, N extends string> = N extends `${infer D}.${infer K}`
  ? D extends keyof C
    ? K extends keyof C[D]
      ? C[D][K]
      : never
    : never
  : never;

export type RequestOf<C extends Contract, N extends string> =
  Lookup<C, N> extends { request: z.ZodType<infer R> } ? R : never;
/** What a caller may pass: the schema's input type (defaults may be omitted). */
export type ArgsOf<C extends Contract, N extends string> =
  Lookup<C, N> extends { request: z.ZodType<any, infer I> } ? I : never;
export type ResponseOf<C extends Contract, N extends string> =
  Lookup<C, N> extends MethodDescriptor<any, infer R> ? R : never;
export type PayloadOf<C extends Contract, N extends string> =
  Lookup<C, N> extends EventDescriptor<any, infer P> ? P : never;
export type ProgressOf<C extends Contract, N extends string> =
  Lookup<C, N> extends TaskDescriptor<any, infer P, any> ? P : never;
export type ResultOf<C extends Contract, N extends string> =
  Lookup<C, N> extends TaskDescriptor<any, any, infer R> ? R : never;

/** A flat runtime table: wire name → descriptor. Feeds the preload allowlist, router and client. */
export function flattenContract(contract: Contract): ReadonlyMap<string, AnyDescriptor> {
  const table = new Map<string, AnyDescriptor>();
  for (const [domain, descriptors] of Object.entries(contract)) {
    for (const [name, descriptor] of Object.entries(descriptors)) table.set(`${domain}.${name}`, descriptor);
  }
  return table;
}
