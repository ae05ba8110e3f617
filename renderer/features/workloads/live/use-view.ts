import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { LoadedView } from '../../palette/palette-model';
import type { ViewId, ViewRow } from '../../../../shared/models/views';
import type { SlipwayClient } from '../../../rpc/client';
import { useClient } from '../../../rpc/client';
import { ViewStore, type ViewSnapshot } from './view-store';

interface Entry {
  store: ViewStore;
  refs: number;
  unsubscribe?: () => void;
  release?: ReturnType<typeof setTimeout>;
}

/** Live views shared by every component that shows the same context × view × namespace. */
const entries = new Map<string, Entry>();

// Anyone who looks across all loaded views (the command palette) hears of every batch through this.
const loadedListeners = new Set<() => void>();
let loadedVersion = 0;
function loadedChanged(): void {
  loadedVersion++;
  for (const l of loadedListeners) l();
}

function entryFor(id: string): Entry {
  let e = entries.get(id);
  if (!e) {
    e = { store: new ViewStore(), refs: 0 };
    entries.set(id, e);
  }
  return e;
}

/** Takes a reference on a view's subscription; the returned function gives it back. */
function retain(id: string, client: SlipwayClient, params: { context: string; view: ViewId; namespace?: string }): () => void {
  const entry = entryFor(id);
  entry.refs++;
  clearTimeout(entry.release);
  entry.unsubscribe ??= client.subscribe(
    'views.watch',
    params,
    (batch) => {
      entry.store.apply(batch);
      loadedChanged();
    },
    (error) => {
      entry.unsubscribe = undefined;
      entry.store.fail(error);
    },
  );
  return () => {
    entry.refs--;
    if (entry.refs > 0) return;
    // Keep it a moment: switching tabs and back must not relist.
    entry.release = setTimeout(() => {
      if (entry.refs > 0) return;
      entry.unsubscribe?.();
      entry.unsubscribe = undefined;
      entries.delete(id);
      loadedChanged();
    }, 5_000);
  };
}

const idle = new ViewStore();

/**
 * Subscribes to `views.watch` and returns the rows (keyed by uid, updated once per batch via
 * useSyncExternalStore).
 */
export function useView<R extends ViewRow = ViewRow>(context: string | null, view: ViewId, namespace?: string): ViewSnapshot<R> {
  const client = useClient();
  const id = context ? JSON.stringify([context, view, namespace ?? '']) : '';
  const store = useMemo(() => (id ? entryFor(id).store : idle), [id]);
  useEffect(() => {
    if (!id || !context) return;
    return retain(id, client, { context, view, ...(namespace ? { namespace } : {}) });
  }, [client, id, context, view, namespace]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot) as ViewSnapshot<R>;
}

const subscribeLoaded = (listener: () => void) => {
  loadedListeners.add(listener);
  return () => loadedListeners.delete(listener);
};

/** Rows of every view some component watches now (or released less than 5 s ago), by context. */
export function loadedViews(): LoadedView[] {
  const out: LoadedView[] = [];
  for (const [id, entry] of entries) {
    const [context, view] = JSON.parse(id) as [string, ViewId, string];
    const { rows } = entry.store.getSnapshot();
    if (rows.length) out.push({ context, view, rows });
  }
  return out;
}

/** loadedViews(), re-read whenever any loaded view applies a batch. */
export function useLoadedViews(): LoadedView[] {
  const version = useSyncExternalStore(subscribeLoaded, () => loadedVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- version is the change signal for module state
  return useMemo(() => loadedViews(), [version]);
}
