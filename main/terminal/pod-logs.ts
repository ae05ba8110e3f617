import type { LogChunk, LogRequest, LogText } from '../../shared/models/views-logs';
import { AppError, toAppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import type { KubeClient } from '../kube/kube-client';

const MAX_LOG_BYTES = 8 * 1024 * 1024;

function logPath(req: LogRequest): string {
  return `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`;
}

function query(req: LogRequest, extra: Record<string, string | number | boolean | undefined>) {
  return { container: req.container, tailLines: req.tailLines, previous: req.previous || undefined, timestamps: req.timestamps || undefined, ...extra };
}

/** A container's log as text (for download and one-shot views), capped at 8 MiB. */
export async function getLogs(client: KubeClient, req: LogRequest): Promise<LogText> {
  const res = await client.request<string>({ path: logPath(req), query: query(req, { limitBytes: MAX_LOG_BYTES }), timeoutMs: 60_000 });
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return { text, truncated: Buffer.byteLength(text) >= MAX_LOG_BYTES };
}

/**
 * Follows a log: lines are batched and emitted at most every `batchMs`, so a chatty container
 * cannot flood the renderer. A partial last line waits for its newline (or the end).
 */
export function followLogs(client: KubeClient, req: LogRequest, emit: (chunk: LogChunk) => void, batchMs = 100): Disposable {
  const abort = new AbortController();
  let pending: string[] = [];
  let partial = '';
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const flush = () => {
    timer = undefined;
    if (pending.length) {
      const lines = pending;
      pending = [];
      emit({ type: 'lines', lines });
    }
  };
  const end = (error?: AppError) => {
    if (ended) return;
    ended = true;
    if (partial) pending.push(partial);
    partial = '';
    clearTimeout(timer);
    flush();
    emit(error ? { type: 'ended', error: error.toWire() } : { type: 'ended' });
  };
  void (async () => {
    try {
      const res = await client.stream({ path: logPath(req), query: query(req, { follow: true }), timeoutMs: 30_000, signal: abort.signal });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        pending.push(...parts);
        timer ??= setTimeout(flush, batchMs);
      });
      res.once('end', () => end());
      res.once('error', (error) => end(abort.signal.aborted ? undefined : toAppError(error)));
      res.once('close', () => end());
    } catch (error) {
      if (!abort.signal.aborted) end(toAppError(error));
    }
  })();
  return {
    dispose: () => {
      ended = true;
      clearTimeout(timer);
      abort.abort();
    },
  };
}
