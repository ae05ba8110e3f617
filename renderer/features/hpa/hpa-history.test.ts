import { describe, expect, it } from 'vitest';
import type { HpaSample } from '../../../shared/models/views';
import { timeRange } from './hpa-history';

const sample = (t: number): HpaSample => ({ t, current: 1, desired: 1, metrics: {}, source: 'watch' });

describe('HPA chart time range', () => {
  it('spans five minutes up to now for a single sample (not years)', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(timeRange([sample(now - 1_000)], now)).toEqual([(now - 300_000) / 1000, now / 1000]);
  });

  it('starts at the first sample when the history is longer than five minutes', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    expect(timeRange([sample(now - 3_600_000), sample(now - 60_000)], now)).toEqual([(now - 3_600_000) / 1000, now / 1000]);
  });
});
