import type { HpaRow } from '../../../shared/models/views';

/** One sample of an HPA over time: replicas and each metric's current value. */
export interface HpaSample {
  t: number;
  current: number;
  desired: number;
  metrics: Record<string, number | undefined>;
}

const MAX_SAMPLES = 720;
const history = new Map<string, HpaSample[]>();

/**
 * Appends a sample for each row whose numbers changed (plus one every `everyMs` so the chart's
 * time axis keeps moving). Module state: the history survives tab switches while the app runs.
 */
export function recordSamples(context: string, rows: readonly HpaRow[], now: number, everyMs = 5_000): void {
  for (const row of rows) {
    const id = `${context}/${row.key}`;
    const samples = history.get(id) ?? [];
    const metrics: Record<string, number | undefined> = {};
    for (const m of row.metrics) metrics[`${m.type} ${m.name}`] = m.currentValue;
    const last = samples[samples.length - 1];
    const same = last && last.current === row.currentReplicas && last.desired === row.desiredReplicas && JSON.stringify(last.metrics) === JSON.stringify(metrics);
    if (same && now - last.t < everyMs) continue;
    samples.push({ t: now, current: row.currentReplicas, desired: row.desiredReplicas, metrics });
    if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
    history.set(id, samples);
  }
}

export function samplesOf(context: string, key: string): HpaSample[] {
  return history.get(`${context}/${key}`) ?? [];
}
