import { describe, expect, it } from 'vitest';
import type { HpaRow, NodeRow, PodRow, PvcRow, StorageClassRow, TrainingJobRow } from '../../../shared/models/views';
import { ActionRegistry, paletteActions } from './palette-actions';
import { buildEntries, contextEntries, MAX_RECENT, objectEntries, objectsFromViews, PAGE_ENTRIES, pushRecent, searchPalette, type LoadedView, type PaletteEntry } from './palette-model';

const pod = (name: string, namespace = 'default'): PodRow => ({ key: `uid-${namespace}-${name}`, section: 'pod', name, namespace, phase: 'Running', ready: '1/1', restarts: 0, gpus: 0, containers: ['main'] });
const hpa = { key: 'h1', section: 'hpa', name: 'inference', namespace: 'serving' } as HpaRow;
const job = { key: 't1', section: 'training', kind: 'PyTorchJob', name: 'resnet-train', namespace: 'ml' } as TrainingJobRow;
const pvc = { key: 'c1', section: 'pvc', name: 'dataset', namespace: 'ml' } as PvcRow;
const storageClass = { key: 's1', section: 'class', name: 'standard' } as StorageClassRow;
const node = { key: 'n1', section: 'node', name: 'gpu-a' } as NodeRow;

const views: LoadedView[] = [
  { context: 'kind-lab', view: 'pods', rows: [pod('llm-finetune'), pod('eval-7f9c')] },
  { context: 'kind-lab', view: 'hpa', rows: [hpa] },
  { context: 'kind-lab', view: 'training', rows: [job] },
  { context: 'kind-lab', view: 'storage', rows: [pvc, storageClass] },
  { context: 'kind-lab', view: 'overview', rows: [node] },
];

const titles = (results: { entry: PaletteEntry }[]) => results.map((r) => r.entry.title);

describe('entries', () => {
  it('lists every page the brief names, each reachable by route', () => {
    expect(PAGE_ENTRIES.map((e) => e.title)).toEqual(['Overview', 'Clusters', 'Create cluster', 'Doctor', 'Pods', 'Autoscalers', 'Storage', 'Training jobs', 'Events', 'Terminal', 'Promote', 'Settings']);
    expect(PAGE_ENTRIES.find((e) => e.title === 'Doctor')!.target).toEqual({ type: 'navigate', route: 'clusters', rest: ['doctor'] });
    expect(PAGE_ENTRIES.find((e) => e.title === 'Training jobs')!.target).toEqual({ type: 'navigate', route: 'workloads', rest: ['training'] });
  });

  it('offers to switch to each context', () => {
    expect(contextEntries(['kind-lab', 'prod'])).toEqual([
      { id: 'context:kind-lab', group: 'context', title: 'Switch to context kind-lab', detail: 'Context', target: { type: 'switch-context', context: 'kind-lab' } },
      { id: 'context:prod', group: 'context', title: 'Switch to context prod', detail: 'Context', target: { type: 'switch-context', context: 'prod' } },
    ]);
  });

  it('takes pods, HPAs, training jobs, claims and nodes from loaded views, with context and namespace', () => {
    expect(objectsFromViews(views)).toEqual([
      { kind: 'pod', context: 'kind-lab', name: 'llm-finetune', namespace: 'default' },
      { kind: 'pod', context: 'kind-lab', name: 'eval-7f9c', namespace: 'default' },
      { kind: 'hpa', context: 'kind-lab', name: 'inference', namespace: 'serving' },
      { kind: 'training', context: 'kind-lab', name: 'resnet-train', namespace: 'ml', subKind: 'PyTorchJob' },
      { kind: 'pvc', context: 'kind-lab', name: 'dataset', namespace: 'ml' },
      { kind: 'node', context: 'kind-lab', name: 'gpu-a' },
    ]);
  });

  it('lists an object once when two loaded views hold it (all namespaces and one namespace)', () => {
    const twice: LoadedView[] = [
      { context: 'a', view: 'pods', rows: [pod('x', 'ns1')] },
      { context: 'a', view: 'pods', rows: [pod('x', 'ns1'), pod('x', 'ns2')] },
      { context: 'b', view: 'pods', rows: [pod('x', 'ns1')] },
    ];
    expect(objectsFromViews(twice).map((o) => `${o.context}/${o.namespace}/${o.name}`)).toEqual(['a/ns1/x', 'a/ns2/x', 'b/ns1/x']);
  });

  it('opens each object where it lives and makes sure its context is watched', () => {
    const entries = objectEntries(objectsFromViews(views), []);
    const target = (title: string) => entries.find((e) => e.title === title)!.target;
    expect(target('llm-finetune')).toEqual({ type: 'navigate', route: 'workloads', rest: ['pods', 'kind-lab', 'default', 'llm-finetune'], watch: { context: 'kind-lab', namespace: 'default' } });
    expect(target('inference')).toEqual({ type: 'navigate', route: 'workloads', rest: ['hpa', 'kind-lab', 'serving', 'inference'], watch: { context: 'kind-lab', namespace: 'serving' } });
    expect(target('resnet-train')).toEqual({ type: 'navigate', route: 'workloads', rest: ['training', 'kind-lab', 'ml', 'resnet-train'], watch: { context: 'kind-lab', namespace: 'ml' } });
    expect(target('gpu-a')).toEqual({ type: 'navigate', route: 'overview', rest: [], watch: { context: 'kind-lab' } });
    expect(entries.find((e) => e.title === 'resnet-train')!.detail).toBe('PyTorchJob · ml · kind-lab');
  });

  it('adds the registered actions to the objects of their kinds only', () => {
    const entries = objectEntries(objectsFromViews(views), paletteActions.list());
    const actions = entries.filter((e) => e.group === 'action');
    expect(actions.map((e) => e.title)).toEqual(['Logs of pod llm-finetune', 'Shell in pod llm-finetune', 'Logs of pod eval-7f9c', 'Shell in pod eval-7f9c']);
    expect(actions[0]!.target).toEqual({ type: 'navigate', route: 'workloads', rest: ['pods', 'kind-lab', 'default', 'llm-finetune', 'logs'], watch: { context: 'kind-lab', namespace: 'default' } });
    expect(actions[1]!.target).toEqual({ type: 'navigate', route: 'workloads', rest: ['terminal', 'pod', 'kind-lab', 'default', 'llm-finetune'] });
  });

  it('an action registered by a feature becomes an entry, narrowed by appliesTo', () => {
    const run = () => undefined;
    const registry = new ActionRegistry().register({ id: 'hpa.scale', kinds: ['hpa', 'pod'], title: (o) => `Scale ${o.name}`, target: () => ({ type: 'invoke', run }), appliesTo: (o) => o.kind === 'hpa' });
    const entries = objectEntries(objectsFromViews(views), registry.list()).filter((e) => e.group === 'action');
    expect(entries).toEqual([{ id: expect.stringContaining('action:hpa.scale:'), group: 'action', title: 'Scale inference', detail: 'Autoscaler · serving · kind-lab', target: { type: 'invoke', run } }]);
    expect(() => registry.register({ id: 'hpa.scale', kinds: ['hpa'], title: () => '', target: () => ({ type: 'invoke', run }) })).toThrow(/registered twice/);
  });

  it('gives every entry a distinct id', () => {
    const entries = buildEntries({ contexts: ['kind-lab'], views, actions: paletteActions.list() });
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });
});

describe('searchPalette', () => {
  const entries = buildEntries({ contexts: ['kind-lab', 'offline-lab'], views, actions: paletteActions.list() });

  it('ranks the object itself above the actions on it, and both above looser matches', () => {
    // Storage's detail line ("Workloads · claims, volumes") holds l…l…m too, too loosely to count.
    expect(titles(searchPalette(entries, 'llm'))).toEqual(['llm-finetune', 'Logs of pod llm-finetune', 'Shell in pod llm-finetune']);
  });

  it('matches across words and ignores spaces in the query', () => {
    expect(titles(searchPalette(entries, 'logs llm'))[0]).toBe('Logs of pod llm-finetune');
    expect(titles(searchPalette(entries, 'shell eval'))[0]).toBe('Shell in pod eval-7f9c');
  });

  it('puts word-start matches first and shorter titles first on a tie', () => {
    const results = titles(searchPalette(entries, 'set'));
    expect(results[0]).toBe('Settings');
    // "Pods" (page) and "pods"-free entries: the page title is shorter than any action with "pod".
    expect(titles(searchPalette(entries, 'pod'))[0]).toBe('Pods');
  });

  it('finds contexts to switch to', () => {
    expect(titles(searchPalette(entries, 'offline'))[0]).toBe('Switch to context offline-lab');
  });

  it('matches the detail line too, below title matches', () => {
    // "serving" is only the autoscaler's namespace; "ml" is the namespace of the job and the claim (and m…l is in Terminal).
    expect(titles(searchPalette(entries, 'serving'))).toEqual(['inference']);
    const ml = titles(searchPalette(entries, 'ml'));
    // A whole word of the detail (the namespace) beats the same letters in the middle of a title.
    expect(ml.slice(0, 2).sort()).toEqual(['dataset', 'resnet-train']);
    expect(ml.slice(2)).toEqual(['Terminal']);
  });

  it('returns nothing for a query nothing contains', () => {
    expect(searchPalette(entries, 'qqqzz')).toEqual([]);
  });

  it('lists recent entries first for an empty query, then pages in order, skipping recents that are gone', () => {
    const recent = ['object:["pod","kind-lab","default","eval-7f9c"]', 'gone', 'page:settings'];
    expect(titles(searchPalette(entries, '', recent)).slice(0, 4)).toEqual(['eval-7f9c', 'Settings', 'Overview', 'Clusters']);
    expect(titles(searchPalette(entries, '')).slice(0, 2)).toEqual(['Overview', 'Clusters']);
  });

  it('a recent entry wins a tie in score', () => {
    const a: PaletteEntry = { id: 'a', group: 'object', title: 'train-a', target: { type: 'navigate', route: 'overview', rest: [] } };
    const b: PaletteEntry = { ...a, id: 'b', title: 'train-b' };
    expect(titles(searchPalette([a, b], 'train'))).toEqual(['train-a', 'train-b']);
    expect(titles(searchPalette([a, b], 'train', ['b']))).toEqual(['train-b', 'train-a']);
  });

  it('returns at most the limit', () => {
    const many = objectEntries(
      objectsFromViews([{ context: 'c', view: 'pods', rows: Array.from({ length: 300 }, (_, i) => pod(`worker-${i}`)) }]),
      [],
    );
    expect(searchPalette(many, 'worker')).toHaveLength(50);
    expect(searchPalette(many, '')).toHaveLength(50);
    // Shorter names first among equal matches.
    expect(titles(searchPalette(many, 'worker')).slice(0, 3)).toEqual(['worker-0', 'worker-1', 'worker-2']);
  });
});

describe('pushRecent', () => {
  it('moves a pick to the front without duplicates and keeps the list short', () => {
    expect(pushRecent(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    const long = Array.from({ length: MAX_RECENT }, (_, i) => `e${i}`);
    expect(pushRecent(long, 'new')).toHaveLength(MAX_RECENT);
    expect(pushRecent(long, 'new')[0]).toBe('new');
  });
});
