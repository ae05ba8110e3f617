import { useSyncExternalStore } from 'react';

/** Which contexts the live pages watch (several at once) and the namespace filter; kept across reloads. */
export interface LiveSelection {
  contexts: string[];
  /** '' = all namespaces. */
  namespace: string;
}

const KEY = 'slipway.live-selection';
const listeners = new Set<() => void>();

function load(): LiveSelection {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '') as Partial<LiveSelection>;
    return {
      contexts: Array.isArray(parsed.contexts) ? parsed.contexts.filter((c): c is string => typeof c === 'string').slice(0, 16) : [],
      namespace: typeof parsed.namespace === 'string' ? parsed.namespace : '',
    };
  } catch {
    return { contexts: [], namespace: '' };
  }
}

let current: LiveSelection = load();

export function setSelection(next: Partial<LiveSelection>): void {
  current = { ...current, ...next };
  try {
    localStorage.setItem(KEY, JSON.stringify(current));
  } catch {
    // storage may be unavailable (private mode): the selection then lives for this page only
  }
  for (const l of listeners) l();
}

export function toggleContext(name: string, on: boolean): void {
  const set = new Set(current.contexts);
  if (on) set.add(name);
  else set.delete(name);
  setSelection({ contexts: [...set] });
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function useSelection(): LiveSelection {
  return useSyncExternalStore(subscribe, () => current);
}
