import type { HpaRow, HpaSample } from '../../../shared/models/views';

/** What a row says now, as a sample: the chart's last point, so its line reaches the present. */
export function liveSample(row: HpaRow, now: number): HpaSample {
  const metrics: Record<string, number | null> = {};
  for (const m of row.metrics) metrics[`${m.type} ${m.name}`] = m.currentValue ?? null;
  return { t: now, current: row.currentReplicas, desired: row.desiredReplicas, metrics, source: 'watch' };
}

/** The backend's history (events, then watched samples) followed by the row's live state. */
export function chartSamples(history: readonly HpaSample[], row: HpaRow, now: number): HpaSample[] {
  const last = history.at(-1);
  return last && last.t >= now ? [...history] : [...history, liveSample(row, now)];
}

/**
 * The chart's time range: at least five minutes, ending now. With one sample uPlot would
 * otherwise stretch a zero-width range over years.
 */
export function timeRange(samples: readonly HpaSample[], now: number, minSpanMs = 300_000): [number, number] {
  const first = samples[0]?.t ?? now;
  const end = Math.max(now, samples.at(-1)?.t ?? now);
  return [Math.min(first, end - minSpanMs) / 1000, end / 1000];
}
