import { useEffect, useMemo, useSyncExternalStore } from 'react';
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
    (batch) => entry.store.apply(batch),
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
