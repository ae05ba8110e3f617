import { describe, expect, it } from 'vitest';
import { age, bytes, duration, phaseTone } from './format';

describe('live format helpers', () => {
  it('durations and ages', () => {
    expect(duration(45)).toBe('45s');
    expect(duration(431)).toBe('7m11s');
    expect(duration(5400)).toBe('1h30m');
    expect(duration(200_000)).toBe('2d7h');
    expect(age('2025-01-01T00:00:00Z', Date.parse('2025-01-01T00:02:00Z'))).toBe('2m');
    expect(age(undefined)).toBe('');
  });
  it('bytes and tones', () => {
    expect(bytes(2 ** 30 * 1.5)).toBe('1.5Gi');
    expect(phaseTone('Bound')).toBe('ok');
    expect(phaseTone('CrashLoopBackOff')).toBe('error');
    expect(phaseTone('whatever')).toBe('muted');
  });
});
