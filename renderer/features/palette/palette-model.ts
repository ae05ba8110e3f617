/**
 * The command palette's model, pure: which entries exist (pages, contexts, live objects and the
 * actions on them), how a query ranks them, and how recent picks come first. The component only
 * renders what `searchPalette` returns and runs the picked entry's target.
 */
import type { RouteId } from '../../app/routes';
import type { ViewId, ViewRow } from '../../../shared/models/views';
import { fuzzyMatch, normalizeQuery } from './fuzzy';

/** What running an entry does. Data, not a closure, so entries compare and test as plain values. */
export type PaletteTarget =
  | {
      type: 'navigate';
      route: RouteId;
      rest: string[];
      /** The object lives in this context (and namespace): make sure the live pages watch it. */
      watch?: { context: string; namespace?: string };
    }
  /** Watch only this context from now on. */
  | { type: 'switch-context'; context: string }
  /** For actions that open their own UI (a dialog) rather than a page. */
  | { type: 'invoke'; run: () => void };

export type PaletteGroup = 'page' | 'context' | 'object' | 'action';

export interface PaletteEntry {
  /** Stable across rebuilds: recents are stored by id. */
  id: string;
  group: PaletteGroup;
  /** What the query is matched against, and what the list shows. */
  title: string;
  /** Secondary line: kind, namespace, context. Matched too, at a lower weight. */
  detail?: string;
  target: PaletteTarget;
}

export const OBJECT_KINDS = ['pod', 'hpa', 'training', 'pvc', 'node'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** A named object seen in a live view, wherever it came from. */
export interface PaletteObject {
  kind: ObjectKind;
  context: string;
  name: string;
  namespace?: string;
  /** TrainingJob kind (Job, PyTorchJob…), for the detail line. */
  subKind?: string;
}

/** A live view's rows as the palette gets them (see `loadedViews` in use-view.ts). */
export interface LoadedView {
  context: string;
  view: ViewId;
  rows: readonly ViewRow[];
}

export const KIND_LABELS: Record<ObjectKind, string> = { pod: 'Pod', hpa: 'Autoscaler', training: 'Training job', pvc: 'Claim', node: 'Node' };

/** The page of an object: pods, autoscalers and training jobs open selected; claims and nodes on their list. */
export function objectTarget(o: PaletteObject): PaletteTarget {
  const watch = { context: o.context, ...(o.namespace ? { namespace: o.namespace } : {}) };
  switch (o.kind) {
    case 'pod':
      return { type: 'navigate', route: 'workloads', rest: ['pods', o.context, o.namespace ?? '', o.name], watch };
    case 'hpa':
      return { type: 'navigate', route: 'workloads', rest: ['hpa', o.context, o.namespace ?? '', o.name], watch };
    case 'training':
      return { type: 'navigate', route: 'workloads', rest: ['training', o.context, o.namespace ?? '', o.name], watch };
    case 'pvc':
      return { type: 'navigate', route: 'workloads', rest: ['storage'], watch };
    case 'node':
      return { type: 'navigate', route: 'overview', rest: [], watch: { context: o.context } };
  }
}

/**
 * An action on an object ("Logs of pod X"). Features add theirs to the registry in
 * palette-actions.ts; the model turns each (action, object) pair it applies to into an entry.
 */
export interface ObjectAction {
  /** Unique; part of the entry id, so keep it stable. */
  id: string;
  kinds: readonly ObjectKind[];
  title(o: PaletteObject): string;
  target(o: PaletteObject): PaletteTarget;
  /** Narrower than `kinds`, e.g. only running pods. Absent = every object of those kinds. */
  appliesTo?(o: PaletteObject): boolean;
}

export const PAGE_ENTRIES: readonly PaletteEntry[] = [
  { id: 'page:overview', group: 'page', title: 'Overview', detail: 'Nodes and GPUs', target: { type: 'navigate', route: 'overview', rest: [] } },
  { id: 'page:clusters', group: 'page', title: 'Clusters', detail: 'Contexts and local clusters', target: { type: 'navigate', route: 'clusters', rest: [] } },
  { id: 'page:create-cluster', group: 'page', title: 'Create cluster', detail: 'kind, k3d or simulated', target: { type: 'navigate', route: 'clusters', rest: ['new'] } },
  { id: 'page:doctor', group: 'page', title: 'Doctor', detail: 'Check Docker, GPU drivers and tools', target: { type: 'navigate', route: 'clusters', rest: ['doctor'] } },
  { id: 'page:pods', group: 'page', title: 'Pods', detail: 'Workloads', target: { type: 'navigate', route: 'workloads', rest: ['pods'] } },
  { id: 'page:hpa', group: 'page', title: 'Autoscalers', detail: 'Workloads · HPA', target: { type: 'navigate', route: 'workloads', rest: ['hpa'] } },
  { id: 'page:storage', group: 'page', title: 'Storage', detail: 'Workloads · claims, volumes, classes', target: { type: 'navigate', route: 'workloads', rest: ['storage'] } },
  { id: 'page:training', group: 'page', title: 'Training jobs', detail: 'Workloads', target: { type: 'navigate', route: 'workloads', rest: ['training'] } },
  { id: 'page:events', group: 'page', title: 'Events', detail: 'Workloads', target: { type: 'navigate', route: 'workloads', rest: ['events'] } },
  { id: 'page:terminal', group: 'page', title: 'Terminal', detail: 'Workloads · local shell', target: { type: 'navigate', route: 'workloads', rest: ['terminal'] } },
  { id: 'page:promote', group: 'page', title: 'Promote', detail: 'Laptop cluster → cloud', target: { type: 'navigate', route: 'promote', rest: [] } },
  { id: 'page:settings', group: 'page', title: 'Settings', detail: 'Theme, paths', target: { type: 'navigate', route: 'settings', rest: [] } },
];

export function contextEntries(contexts: readonly string[]): PaletteEntry[] {
  return contexts.map((c) => ({ id: `context:${c}`, group: 'context', title: `Switch to context ${c}`, detail: 'Context', target: { type: 'switch-context', context: c } }));
}

/** The named objects of loaded views, once each (a view can be loaded for several namespaces). */
export function objectsFromViews(views: readonly LoadedView[]): PaletteObject[] {
  const seen = new Map<string, PaletteObject>();
  const add = (o: PaletteObject) => {
    const key = objectKey(o);
    if (!seen.has(key)) seen.set(key, o);
  };
  for (const v of views) {
    for (const row of v.rows) {
      switch (row.section) {
        case 'pod':
          add({ kind: 'pod', context: v.context, name: row.name, namespace: row.namespace });
          break;
        case 'hpa':
          add({ kind: 'hpa', context: v.context, name: row.name, namespace: row.namespace });
          break;
        case 'training':
          add({ kind: 'training', context: v.context, name: row.name, namespace: row.namespace, subKind: row.kind });
          break;
        case 'pvc':
          add({ kind: 'pvc', context: v.context, name: row.name, namespace: row.namespace });
          break;
        case 'node':
          add({ kind: 'node', context: v.context, name: row.name });
          break;
        default:
          // Storage classes, volumes, Ceph clusters and events are not things one jumps to by name.
          break;
      }
    }
  }
  return [...seen.values()];
}

function objectKey(o: PaletteObject): string {
  return JSON.stringify([o.kind, o.context, o.namespace ?? '', o.name]);
}

function objectDetail(o: PaletteObject): string {
  return [o.subKind ?? KIND_LABELS[o.kind], o.namespace, o.context].filter(Boolean).join(' · ');
}

/** One entry per object (its page) and one per applicable action. */
export function objectEntries(objects: readonly PaletteObject[], actions: readonly ObjectAction[]): PaletteEntry[] {
  const out: PaletteEntry[] = [];
  for (const o of objects) {
    const key = objectKey(o);
    const detail = objectDetail(o);
    out.push({ id: `object:${key}`, group: 'object', title: o.name, detail, target: objectTarget(o) });
    for (const a of actions) {
      if (!a.kinds.includes(o.kind) || (a.appliesTo && !a.appliesTo(o))) continue;
      out.push({ id: `action:${a.id}:${key}`, group: 'action', title: a.title(o), detail, target: a.target(o) });
    }
  }
  return out;
}

export interface PaletteSources {
  contexts: readonly string[];
  views: readonly LoadedView[];
  actions: readonly ObjectAction[];
}

/** Every entry, in the order shown for an empty query (before recents): pages, contexts, objects. */
export function buildEntries(sources: PaletteSources): PaletteEntry[] {
  return [...PAGE_ENTRIES, ...contextEntries(sources.contexts), ...objectEntries(objectsFromViews(sources.views), sources.actions)];
}

export interface PaletteResult {
  entry: PaletteEntry;
  score: number;
  /** Matched character indexes in `entry.title` (empty when the detail matched). */
  positions: number[];
}

export const MAX_RESULTS = 50;

/** Pages before contexts before objects before actions when scores tie. */
const GROUP_RANK: Record<PaletteGroup, number> = { page: 0, context: 1, object: 2, action: 3 };

/** A match in the detail line only counts for this much of a title match. */
const DETAIL_WEIGHT = 0.5;
/**
 * Detail lines are long and mixed ("Workloads · claims, volumes"): almost any short query is a
 * subsequence of them. Only a tight match there (runs, word starts) counts, e.g. a namespace.
 */
const MIN_DETAIL_SCORE_PER_CHAR = 3;

/**
 * Ranks entries for a query: best fuzzy score first, then the shorter title, then group order.
 * An empty query lists recent entries (most recent first), then the rest in their given order.
 * At most `limit` results.
 */
export function searchPalette(entries: readonly PaletteEntry[], query: string, recent: readonly string[] = [], limit = MAX_RESULTS): PaletteResult[] {
  const q = normalizeQuery(query);
  if (!q) {
    const byId = new Map(entries.map((e) => [e.id, e]));
    const first = recent.map((id) => byId.get(id)).filter((e): e is PaletteEntry => e !== undefined);
    const firstIds = new Set(first.map((e) => e.id));
    return [...first, ...entries.filter((e) => !firstIds.has(e.id))].slice(0, limit).map((entry) => ({ entry, score: 0, positions: [] }));
  }
  const recentRank = new Map(recent.map((id, i) => [id, i]));
  const results: PaletteResult[] = [];
  for (const entry of entries) {
    const title = fuzzyMatch(q, entry.title);
    if (title) {
      results.push({ entry, score: title.score, positions: title.positions });
      continue;
    }
    const detail = entry.detail ? fuzzyMatch(q, entry.detail) : null;
    if (detail && detail.score >= MIN_DETAIL_SCORE_PER_CHAR * q.length) results.push({ entry, score: detail.score * DETAIL_WEIGHT, positions: [] });
  }
  results.sort(
    (a, b) =>
      b.score - a.score ||
      // A recent pick wins a tie: it is what the user wanted the last time.
      (recentRank.get(a.entry.id) ?? Infinity) - (recentRank.get(b.entry.id) ?? Infinity) ||
      a.entry.title.length - b.entry.title.length ||
      GROUP_RANK[a.entry.group] - GROUP_RANK[b.entry.group],
  );
  return results.slice(0, limit);
}

export const MAX_RECENT = 10;

/** The recent list after picking `id`: it moves to the front, the list keeps `MAX_RECENT`. */
export function pushRecent(recent: readonly string[], id: string): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, MAX_RECENT);
}
