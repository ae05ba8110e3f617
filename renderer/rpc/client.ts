import { createContext, useContext } from 'react';
import type { SlipwayContract } from '../../shared/contract';
import { AppError, isErrorCode } from '../../shared/errors';
import { createTypedClient, type RawRpc, type TypedClient } from '../../shared/rpc-client';

export type SlipwayClient = TypedClient<SlipwayContract>;

/** Errors from the preload bridge arrive as plain objects; make them AppErrors again. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const wire = error as { code?: unknown; message: string; fix?: string; details?: unknown };
    return new AppError(isErrorCode(wire.code) ? wire.code : 'INTERNAL', String(wire.message), { fix: wire.fix, details: wire.details });
  }
  return new AppError('INTERNAL', String(error));
}

/** Wraps a raw transport so every failure the UI sees is an AppError. */
export function createClient(raw: RawRpc): SlipwayClient {
  const normalized: RawRpc = {
    call: (name, args) => raw.call(name, args).catch((error: unknown) => Promise.reject(asAppError(error))),
    subscribe: (name, params, onEvent, onEnd) =>
      raw.subscribe(name, params, onEvent, (outcome) => onEnd(outcome.error ? { error: asAppError(outcome.error) } : outcome)),
  };
  return createTypedClient<SlipwayContract>(normalized);
}

export const ClientContext = createContext<SlipwayClient | null>(null);

export function useClient(): SlipwayClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient needs a <ClientContext.Provider>');
  return client;
}
