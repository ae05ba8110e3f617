import type { EventView, HpaRow, HpaSample } from '../../shared/models/views';

/** Per HPA, at most this many samples (a change each, or one per minute at rest: hours of story). */
const MAX_SAMPLES = 720;

/** The size in a controller's `SuccessfulRescale` message: "New size: 3; reason: cpu … above target". */
const NEW_SIZE = /^New size: (\d+)(?:;|$)/;

/**
 * The scale-ups and scale-downs the HPA controller reported as events, oldest first: what
 * happened before Slipway was watching. Each gives the desired size at the time of the event.
 */
export function rescalesFromEvents(events: readonly EventView[]): HpaSample[] {
  const samples: HpaSample[] = [];
  for (const event of events) {
    if (event.reason !== 'SuccessfulRescale' || !event.lastSeen) continue;
    const size = NEW_SIZE.exec(event.message);
    const t = Date.parse(event.lastSeen);
    if (!size || Number.isNaN(t)) continue;
    const replicas = Number(size[1]);
    samples.push({ t, current: replicas, desired: replicas, metrics: {}, source: 'event' });
  }
  return samples.sort((a, b) => a.t - b.t);
}

/** One sample of a row: its replicas and each metric's current value. */
export function sampleOf(row: HpaRow, t: number): HpaSample {
  const metrics: Record<string, number | null> = {};
  for (const m of row.metrics) metrics[`${m.type} ${m.name}`] = m.currentValue ?? null;
  return { t, current: row.currentReplicas, desired: row.desiredReplicas, metrics, source: 'watch' };
}

/**
 * Events before the first watched sample, then the watched samples: an event inside the watched
 * span adds nothing the samples do not already show.
 */
export function mergeHistory(fromEvents: readonly HpaSample[], watched: readonly HpaSample[]): HpaSample[] {
  const start = watched[0]?.t ?? Infinity;
  return [...fromEvents.filter((s) => s.t < start), ...watched];
}

/**
 * HPA history kept in the backend, per context and HPA uid, from the first time a face watches
 * the HPA view: so a page reload or a second window shows the same story. A sample is kept when
 * anything in it changed, or at most once a minute at rest.
 */
export class HpaHistoryStore {
  private readonly samples = new Map<string, HpaSample[]>();

  constructor(private readonly restEveryMs = 60_000) {}

  record(context: string, rows: readonly HpaRow[], now: number): void {
    for (const row of rows) {
      const id = `${context}\u0000${row.key}`;
      const list = this.samples.get(id) ?? [];
      const next = sampleOf(row, now);
      const last = list.at(-1);
      const same = last !== undefined && last.current === next.current && last.desired === next.desired && JSON.stringify(last.metrics) === JSON.stringify(next.metrics);
      if (same && now - last.t < this.restEveryMs) continue;
      list.push(next);
      if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
      this.samples.set(id, list);
    }
  }

  /** Drops the history of HPAs that are gone. */
  forget(context: string, keys: readonly string[]): void {
    for (const key of keys) this.samples.delete(`${context}\u0000${key}`);
  }

  watched(context: string, key: string): HpaSample[] {
    return [...(this.samples.get(`${context}\u0000${key}`) ?? [])];
  }
}
