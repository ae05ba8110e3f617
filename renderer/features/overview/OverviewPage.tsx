import { EmptyState } from '../../components/EmptyState';

/** Nodes, GPU capacity and allocation per cluster (live state arrives with the watch engine). */
export function OverviewPage() {
  return (
    <section aria-labelledby="overview-title">
      <header className="page-header">
        <h1 id="overview-title">Overview</h1>
      </header>
      <EmptyState title="Pick a cluster to watch" action={<a href="#/clusters">Go to Clusters</a>}>
        <p>Choose a reachable context on the Clusters page to see its nodes, GPUs and workloads here.</p>
      </EmptyState>
    </section>
  );
}
