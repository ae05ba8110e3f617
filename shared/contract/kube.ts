import { z } from 'zod';
import { event, method } from './define';
import type { ContextLiveStatus, KubeObject, WatchBatch } from '../models/views-watch';
import type { LogChunk, LogText } from '../models/views-logs';

const name = z.string().min(1).max(253);
const context = z.string().min(1).max(1024);
const selector = z.string().max(4096).optional();

export const resourceRefSchema = z
  .object({
    group: z.string().max(253).regex(/^[a-z0-9.-]*$/),
    version: z.string().max(64).regex(/^v[0-9a-z]+$/).optional(),
    plural: z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/),
  })
  .strict();

const watchSchema = z
  .object({ context, resource: resourceRefSchema, namespace: name.optional(), labelSelector: selector, fieldSelector: selector })
  .strict();

const logSchema = z
  .object({
    context,
    namespace: name,
    pod: name,
    container: name.optional(),
    tailLines: z.number().int().min(0).max(100_000).optional(),
    previous: z.boolean().optional(),
    timestamps: z.boolean().optional(),
  })
  .strict();

/** Live cluster state: watches, one-shot lists, pod logs. */
export const kubeContract = {
  /**
   * Watches one collection. Reference-counted: subscribers of the same context × resource ×
   * namespace × selectors share one LIST+WATCH. Payloads: one `snapshot`, then `delta`s coalesced
   * by uid at most every ~100 ms, carrying the resourceVersion and any status change
   * (connecting, synced, reconnecting, absent, forbidden). Objects are slimmed (no managedFields).
   */
  watch: event<z.infer<typeof watchSchema>, WatchBatch>(watchSchema),
  /** Health of contexts (live / reconnecting / unavailable); one payload per change per context. */
  onDidChangeContextStatus: event<{ contexts: string[] }, ContextLiveStatus>(z.object({ contexts: z.array(context).min(1).max(64) }).strict()),
  /** A one-shot paged LIST, slimmed. Kinds from CRDs resolve through discovery; not served → NOT_FOUND. */
  list: method<z.infer<typeof watchSchema>, { items: KubeObject[]; resourceVersion: string }>(watchSchema),
  /** A pod container's log (at most 8 MiB; `truncated` says when it was cut). */
  getLogs: method<z.infer<typeof logSchema>, LogText>(logSchema),
  /** Follows a pod container's log. Ends with `ended` when the container stops or the stream fails. */
  followLogs: event<z.infer<typeof logSchema>, LogChunk>(logSchema),
} as const;
