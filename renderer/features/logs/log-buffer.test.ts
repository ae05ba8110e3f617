import { describe, expect, it } from 'vitest';
import { appendLines, searchLines } from './log-buffer';

describe('log buffer', () => {
  it('keeps the newest lines only', () => {
    expect(appendLines(['a', 'b'], ['c', 'd'], 3)).toEqual(['b', 'c', 'd']);
    expect(appendLines([], ['1', '2', '3', '4', '5'], 2)).toEqual(['4', '5']);
  });
  it('searches case-insensitively and keeps line numbers', () => {
    expect(searchLines(['Epoch 1 loss', 'ok', 'epoch 2 LOSS'], 'loss')).toEqual([
      { n: 1, text: 'Epoch 1 loss' },
      { n: 3, text: 'epoch 2 LOSS' },
    ]);
  });
});
