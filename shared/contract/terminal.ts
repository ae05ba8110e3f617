import { z } from 'zod';
import { event, method } from './define';
import type { TerminalEvent } from '../models/views-logs';

const name = z.string().min(1).max(253);
const size = { cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) };

const openSchema = z
  .object({
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('pod'), context: z.string().min(1).max(1024), namespace: name, pod: name, container: name.optional(), command: z.array(z.string().max(4096)).min(1).max(64).optional() }).strict(),
      z.object({ kind: z.literal('local'), context: z.string().min(1).max(1024).optional() }).strict(),
    ]),
    ...size,
  })
  .strict();

const sessionId = z.string().uuid();

/**
 * Terminals: a shell in a pod container (exec over the channel.k8s.io WebSocket protocol) or a
 * local shell whose KUBECONFIG selects the chosen context. They travel over the authenticated
 * RPC connection only — there is no separate terminal socket a web page could reach.
 */
export const terminalContract = {
  /** Opens a session: `started` (with the session id), `output`…, then `exit`. Unsubscribing kills it. */
  open: event<z.infer<typeof openSchema>, TerminalEvent>(openSchema),
  write: method<{ sessionId: string; data: string }, { ok: true }>(z.object({ sessionId, data: z.string().max(65_536) }).strict()),
  resize: method<{ sessionId: string; cols: number; rows: number }, { ok: true }>(z.object({ sessionId, ...size }).strict()),
} as const;
