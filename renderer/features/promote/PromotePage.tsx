import { EmptyState } from '../../components/EmptyState';

/** Promotion of a workload bundle from the laptop cluster to a shared cluster. */
export function PromotePage() {
  return (
    <section aria-labelledby="promote-title">
      <header className="page-header">
        <h1 id="promote-title">Promote</h1>
      </header>
      <EmptyState title="Nothing to promote yet">
        <p>
          Promotion needs a source bundle and a target context. Try it from the terminal with{' '}
          <code>slipway promote resources/samples/inference --to CONTEXT --plan</code>.
        </p>
      </EmptyState>
    </section>
  );
}
