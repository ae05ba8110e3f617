import { EmptyState } from '../../components/EmptyState';

/** HPAs, storage and training jobs of the selected cluster. */
export function WorkloadsPage() {
  return (
    <section aria-labelledby="workloads-title">
      <header className="page-header">
        <h1 id="workloads-title">Workloads</h1>
      </header>
      <EmptyState title="No cluster selected" action={<a href="#/clusters">Go to Clusters</a>}>
        <p>Select a reachable context to see its autoscalers, volumes and training jobs.</p>
      </EmptyState>
    </section>
  );
}
