import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../rpc/ws-transport';

/** The transport's state, for the banner that says "reconnecting". */
function createConnectionStore() {
  let state: ConnectionState = 'connecting';
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next: ConnectionState) {
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export const connectionStore = createConnectionStore();

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(connectionStore.subscribe, connectionStore.get);
}
