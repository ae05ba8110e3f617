import { lazy, Suspense, type ComponentType } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { navigate } from '../../app/routes';
import { ContextPicker } from './live/ContextPicker';
import { useSelection } from './live/selection';
import { PodsTab } from './PodsTab';
import { HpaTab } from '../hpa/HpaTab';
import { StorageTab } from '../storage/StorageTab';
import { TrainingTab } from '../training/TrainingTab';
import { EventsTab } from '../events/EventsTab';

// xterm is big and most visits never open a terminal: load it on demand.
const TerminalTab = lazy(() => import('../terminal/TerminalTab').then((m) => ({ default: m.TerminalTab })));

export interface TabProps {
  context: string;
  namespace?: string;
  rest: string[];
}

const TABS: { id: string; label: string; component: ComponentType<TabProps>; perContext: boolean }[] = [
  { id: 'pods', label: 'Pods', component: PodsTab, perContext: true },
  { id: 'hpa', label: 'Autoscalers', component: HpaTab, perContext: true },
  { id: 'storage', label: 'Storage', component: StorageTab, perContext: true },
  { id: 'training', label: 'Training jobs', component: TrainingTab, perContext: true },
  { id: 'events', label: 'Events', component: EventsTab, perContext: true },
  { id: 'terminal', label: 'Terminal', component: TerminalTab, perContext: false },
];

/** Pods, autoscalers, storage, training jobs, events and terminals of the watched contexts. */
export function WorkloadsPage({ rest }: { rest: string[] }) {
  const selection = useSelection();
  const tab = TABS.find((t) => t.id === rest[0]) ?? TABS[0]!;
  const Tab = tab.component;
  const namespace = selection.namespace || undefined;
  return (
    <section aria-labelledby="workloads-title">
      <header className="page-header">
        <h1 id="workloads-title">Workloads</h1>
      </header>
      <ContextPicker />
      <div className="tabs" role="tablist" aria-label="Workload views">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={t.id === tab.id} className={t.id === tab.id ? 'tab active' : 'tab'} onClick={() => navigate('workloads', t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={tab.label}>
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {selection.contexts.length === 0 ? (
            <EmptyState title="No cluster selected" action={<a href="#/clusters">Go to Clusters</a>}>
              <p>Tick one or more contexts above to see their autoscalers, volumes and training jobs.</p>
            </EmptyState>
          ) : tab.perContext ? (
            selection.contexts.map((c) => (
              <section key={c} className="live-section" data-context={c} aria-label={`${tab.label} of ${c}`}>
                {selection.contexts.length > 1 && <h2>{c}</h2>}
                <Tab context={c} namespace={namespace} rest={rest.slice(1)} />
              </section>
            ))
          ) : (
            <Tab context={selection.contexts[0]!} namespace={namespace} rest={rest.slice(1)} />
          )}
        </Suspense>
      </div>
    </section>
  );
}
