import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, formatQuantity, parseQuantity, quantityOrZero } from './quantity';

describe('quantities', () => {
  it('parses decimal, binary, milli and exponent forms', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('16Gi')).toBe(16 * 2 ** 30);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(' 4 ')).toBe(4);
    expect(parseQuantity(3)).toBe(3);
  });

  it('rejects what is not a quantity: NaN, or 0 for views', () => {
    for (const bad of ['lots', '1K', '1Gb', '', undefined, null, {}, Infinity]) {
      expect(parseQuantity(bad)).toBeNaN();
      expect(quantityOrZero(bad)).toBe(0);
    }
  });

  it('formats for people', () => {
    expect(formatBytes(2 ** 30 * 1.5)).toBe('1.5Gi');
    expect(formatBytes(0)).toBe('0');
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
    expect(formatQuantity('requests.memory', 3 * 2 ** 30)).toBe('3Gi');
    expect(formatQuantity('requests.cpu', 0.25)).toBe('250m');
    expect(formatQuantity('requests.nvidia.com/gpu', 4)).toBe('4');
  });
});
