import { useSyncExternalStore } from 'react';

export const ROUTES = [
  { id: 'clusters', label: 'Clusters', key: '1' },
  { id: 'overview', label: 'Overview', key: '2' },
  { id: 'workloads', label: 'Workloads', key: '3' },
  { id: 'forwards', label: 'Forwards', key: '6' },
  { id: 'promote', label: 'Promote', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
] as const;

/** Pages reached by links only (no sidebar entry): one object's details. */
const LINKED_ROUTES = ['object'] as const;

export type RouteId = (typeof ROUTES)[number]['id'] | (typeof LINKED_ROUTES)[number];

function routeOf(part: string | undefined): RouteId | undefined {
  return ROUTES.find((r) => r.id === part)?.id ?? LINKED_ROUTES.find((r) => r === part);
}

/** Parses `#/route/rest?x=y` into the route and its sub-path; unknown routes land on Clusters. */
export function parseHash(hash: string): { route: RouteId; rest: string[] } {
  const parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  const route = routeOf(parts[0]) ?? 'clusters';
  return { route, rest: route === parts[0] ? parts.slice(1) : [] };
}

export function navigate(route: RouteId, ...rest: string[]): void {
  window.location.hash = `#/${[route, ...rest].map(encodeURIComponent).join('/')}`;
}

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function useRoute(): { route: RouteId; rest: string[] } {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}
