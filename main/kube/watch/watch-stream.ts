import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../../../shared/k8s/kube-object';
import { AppError } from '../../../shared/errors';
import type { KubeClient } from '../kube-client';
import { watchErrorEvent } from './errors';
import { collectionPath } from '../resources/paths';
import type { ResolvedResource } from '../resources/resource-mapper';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchStreamOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion: string;
  /** The server ends the watch after this; we then resume from the last resourceVersion. */
  timeoutSeconds: number;
  /** No byte for this long (not even a bookmark) means the connection is stalled. */
  watchdogMs: number;
  /** Deadline for the response headers. */
  headersTimeoutMs: number;
  signal: AbortSignal;
  /** The server accepted the watch (headers arrived). */
  onOpen?(): void;
  onEvent(type: WatchEventType, object: KubeObject): void;
}

export interface WatchOutcome {
  /** Events (bookmarks included) received before the stream ended. */
  events: number;
}

/**
 * Runs one watch request to its end. Resolves when the server closes the stream cleanly (its
 * timeoutSeconds); rejects on any error: a dropped connection, a stall caught by the watchdog, an
 * ERROR event (410 Gone included, as an AppError with details.status 410).
 */
export async function runWatch(client: KubeClient, resource: ResolvedResource, options: WatchStreamOptions): Promise<WatchOutcome> {
  const path = collectionPath(resource, options.namespace);
  const res: IncomingMessage = await client.stream({
    path,
    query: {
      watch: true,
      allowWatchBookmarks: true,
      resourceVersion: options.resourceVersion,
      timeoutSeconds: options.timeoutSeconds,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    },
    timeoutMs: options.headersTimeoutMs,
    signal: options.signal,
  });
  options.onOpen?.();
  return new Promise<WatchOutcome>((resolve, reject) => {
    let events = 0;
    let buffer = '';
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const finish = (error?: AppError) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      res.removeAllListeners('data');
      if (error) {
        res.destroy();
        reject(error);
      } else resolve({ events });
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(
        () => finish(new AppError('TIMEOUT', `${client.contextName}: the watch on ${resource.plural} made no progress for ${Math.round(options.watchdogMs / 1000)} s.`, { details: { path, watchdog: true } })),
        options.watchdogMs,
      );
    };
    arm();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      arm();
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line) continue;
        let event: { type?: string; object?: any };
        try {
          event = JSON.parse(line);
        } catch {
          finish(new AppError('KUBE_API_ERROR', `${client.contextName}: unreadable watch event on ${resource.plural}.`, { details: { path } }));
          return;
        }
        events++;
        if (event.type === 'ERROR') {
          finish(watchErrorEvent(event.object ?? {}, client.contextName, path));
          return;
        }
        if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED' || event.type === 'BOOKMARK') {
          try {
            options.onEvent(event.type, event.object as KubeObject);
          } catch (error) {
            finish(error instanceof AppError ? error : new AppError('INTERNAL', (error as Error).message));
            return;
          }
        }
      }
    });
    res.once('end', () => {
      // A chunked stream that ends without its last chunk was cut, not finished.
      if (res.complete) finish();
      else finish(new AppError('UNAVAILABLE', `${client.contextName}: the watch on ${resource.plural} was cut.`, { details: { path } }));
    });
    res.once('error', (error) =>
      finish(error instanceof AppError ? error : new AppError('UNAVAILABLE', `${client.contextName}: the watch on ${resource.plural} failed: ${error.message}`, { details: { path } })),
    );
    res.once('close', () => {
      if (!res.complete) finish(new AppError('UNAVAILABLE', `${client.contextName}: the connection of the watch on ${resource.plural} closed.`, { details: { path } }));
      else finish();
    });
  });
}
