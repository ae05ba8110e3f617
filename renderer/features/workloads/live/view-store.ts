import type { ViewBatch, ViewMeta, ViewRow } from '../../../../shared/models/views';
import type { AppError } from '../../../../shared/errors';

export interface ViewSnapshot<R extends ViewRow = ViewRow> {
  /** Rows in a stable order (by key insertion); a new array only when a batch changed them. */
  rows: readonly R[];
  meta: ViewMeta | undefined;
  /** True until the first snapshot arrived. */
  loading: boolean;
  /** Batches applied so far. */
  version: number;
  /** Epoch ms at which the last batch was built in main. */
  at: number;
  /** The subscription itself failed (bad context, backend gone). */
  error?: AppError;
}

/**
 * Rows of one live view keyed by `key`. A batch (snapshot or delta) is applied in one go and
 * listeners are told once, so React renders once per batch however many objects changed —
 * the opposite of re-rendering the whole list on every watch event.
 */
export class ViewStore<R extends ViewRow = ViewRow> {
  private readonly rows = new Map<string, R>();
  private snapshot: ViewSnapshot<R> = { rows: [], meta: undefined, loading: true, version: 0, at: 0 };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ViewSnapshot<R> => this.snapshot;

  apply(batch: ViewBatch): void {
    let rowsChanged = false;
    let meta = this.snapshot.meta;
    if (batch.type === 'snapshot') {
      this.rows.clear();
      for (const row of batch.rows) this.rows.set(row.key, row as R);
      rowsChanged = true;
      meta = batch.meta;
    } else {
      for (const key of batch.deletes) rowsChanged = this.rows.delete(key) || rowsChanged;
      for (const row of batch.upserts) {
        this.rows.set(row.key, row as R);
        rowsChanged = true;
      }
      if (batch.meta) meta = batch.meta;
    }
    this.snapshot = {
      rows: rowsChanged ? [...this.rows.values()] : this.snapshot.rows,
      meta,
      loading: false,
      version: this.snapshot.version + 1,
      at: batch.at,
    };
    for (const listener of this.listeners) listener();
  }

  fail(error: AppError): void {
    this.snapshot = { ...this.snapshot, loading: false, error };
    for (const listener of this.listeners) listener();
  }

  get(key: string): R | undefined {
    return this.rows.get(key);
  }
}
