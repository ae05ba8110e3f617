import { z } from 'zod';
import { event, method } from './define';
import type { ForwardInfo } from '../models/port-forward';

const name = z.string().min(1).max(253);
const forwardId = z.string().uuid();
/** A port number, or a port name as Kubernetes allows them (IANA_SVC_NAME). */
const remotePort = z.union([z.number().int().min(1).max(65535), z.string().regex(/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/)]);

const startSchema = z
  .object({
    context: z.string().min(1).max(1024),
    namespace: name,
    target: z.object({ kind: z.enum(['pod', 'service']), name }).strict(),
    remotePort,
    /** 0 (the default) picks a free port. */
    localPort: z.number().int().min(0).max(65535).default(0),
  })
  .strict();

/**
 * Port forwards: a 127.0.0.1 listener per forward, each accepted TCP connection carried over its
 * own `pods/portforward` WebSocket. A Service forward re-resolves its pod per connection, so it
 * follows a replaced pod. Forwards belong to the backend process (not to the page that started
 * them) and stop when it quits.
 */
export const portForwardContract = {
  /**
   * Starts a forward. Checks the target first (pod or Service exists, the port is one it has),
   * then binds the local port: `NOT_FOUND`, `INVALID_ARGUMENT` or `PORT_IN_USE` leave nothing
   * running.
   */
  start: method<z.infer<typeof startSchema>, ForwardInfo>(startSchema),
  /** Every running forward of this process, newest first (a stopped one leaves the list). */
  list: method<Record<string, never>, ForwardInfo[]>(z.object({}).strict()),
  /** Stops a forward: the listener closes and its open connections end. `NOT_FOUND` for an unknown id. */
  stop: method<{ id: string }, { ok: true }>(z.object({ id: forwardId }).strict()),
  /** The list, at once and after every change (bytes are batched about twice a second). */
  onDidChange: event<Record<string, never>, ForwardInfo[]>(z.object({}).strict()),
} as const;
