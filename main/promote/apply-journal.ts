/**
 * The write-ahead record of one apply. Each object is recorded as `pending` before its request
 * is sent and updated when the answer lands (with the live uid); a prune records the object it
 * is about to delete first. Every step is saved atomically and durably by the history store, so
 * whatever stops the apply — a cancel, a crash, a failed readiness wait, a closed connection —
 * leaves a record that rollback undoes exactly.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { AppliedObject, ObjectRef, PromotionRecord, PromotionStatus } from '../../shared/models/promote';
import type { HistoryStore } from './history-store';
import { refKey } from './apply';

/** What the apply tells the record as it goes. */
export interface ApplyJournal {
  willApply(ref: ObjectRef): void;
  didApply(result: AppliedObject): void;
  /** Before a prune deletes `object` (its uid is the precondition of the delete). */
  willPrune(ref: ObjectRef, object: KubeObject, uid: string): void;
  didPrune(ref: ObjectRef, uid: string): void;
}

export class RecordJournal implements ApplyJournal {
  private readonly record: PromotionRecord;

  /** Saves `record` at once: from here on the disk knows about this apply. */
  constructor(
    private readonly history: HistoryStore,
    record: PromotionRecord,
  ) {
    this.record = structuredClone(record);
    this.save();
  }

  /** A copy of the record as it stands. */
  get current(): PromotionRecord {
    return structuredClone(this.record);
  }

  willApply(ref: ObjectRef): void {
    this.put({ ref, outcome: 'pending' });
  }

  didApply(result: AppliedObject): void {
    this.put(result);
  }

  willPrune(ref: ObjectRef, object: KubeObject, uid: string): void {
    this.record.previous.push({ ref, object });
    this.put({ ref, outcome: 'pending', uid, message: 'being pruned' });
  }

  didPrune(ref: ObjectRef, uid: string): void {
    this.put({ ref, outcome: 'pruned', uid });
  }

  /** The final word: status, counts and the results with readiness. */
  finish(status: PromotionStatus, result: AppliedObject[] = this.record.result): PromotionRecord {
    this.record.status = status;
    this.record.result = structuredClone(result);
    this.record.counts = {};
    for (const o of result) this.record.counts[o.outcome] = (this.record.counts[o.outcome] ?? 0) + 1;
    this.save();
    return this.current;
  }

  private put(result: AppliedObject): void {
    const key = refKey(result.ref);
    const index = this.record.result.findIndex((r) => refKey(r.ref) === key);
    if (index >= 0) this.record.result[index] = structuredClone(result);
    else this.record.result.push(structuredClone(result));
    this.save();
  }

  private save(): void {
    this.history.save(this.record);
  }
}
