/**
 * The wire envelope shared by the Electron IPC and WebSocket transports.
 *
 * client → server: `call` (one answer), `sub` (a stream of `ev`, ended by `unsub` or `end`).
 * server → client: `ok` | `err` answer a call; `ev` carries a subscription payload; `end` closes a
 * subscription (a task's final result or error travels here). A frame the server cannot read
 * (not JSON, binary) is answered `err` when its id can still be read from it, else `bad`
 * (`{ t: 'bad', error }`, outside this schema: there is no call to answer, clients ignore it).
 */
import { z } from 'zod';
import { ERROR_CODES, type WireError } from './errors';

const id = z.number().int().nonnegative();

export const wireErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fix: z.string().optional(),
  details: z.unknown().optional(),
}) satisfies z.ZodType<WireError>;

export const clientMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id, method: z.string().min(1).max(200), args: z.unknown() }),
  z.object({ t: z.literal('sub'), id, event: z.string().min(1).max(200), params: z.unknown() }),
  z.object({ t: z.literal('unsub'), id }),
]);

export const serverMessageSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ok'), id, result: z.unknown() }),
  z.object({ t: z.literal('err'), id, error: wireErrorSchema }),
  z.object({ t: z.literal('ev'), id, payload: z.unknown() }),
  z.object({ t: z.literal('end'), id, result: z.unknown().optional(), error: wireErrorSchema.optional() }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** Largest message either side accepts (bytes of JSON); bigger ones are refused, not parsed. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
