import { describe, expect, it } from 'vitest';
import { fuzzyMatch, normalizeQuery } from './fuzzy';

describe('fuzzyMatch', () => {
  it('matches a subsequence case-insensitively and rejects anything else', () => {
    expect(fuzzyMatch('lft', 'llm-FineTune')).not.toBeNull();
    expect(fuzzyMatch('tfl', 'llm-finetune')).toBeNull();
    expect(fuzzyMatch('llmx', 'llm-finetune')).toBeNull();
  });

  it('places characters on word starts when it can, not on the first occurrence', () => {
    // Greedy left-to-right would take the "f" in "offline"; the word start "f" of "finetune" scores higher.
    expect(fuzzyMatch('of', 'offline-finetune')!.positions).toEqual([0, 1]);
    expect(fuzzyMatch('lf', 'llm-finetune')!.positions).toEqual([0, 4]);
    expect(fuzzyMatch('ft', 'llm-finetune')!.positions).toEqual([4, 8]);
  });

  it('scores consecutive runs above scattered characters', () => {
    const run = fuzzyMatch('tune', 'llm-finetune')!;
    const scattered = fuzzyMatch('tune', 'xtxuxnxexxxx')!;
    expect(run.positions).toEqual([8, 9, 10, 11]);
    expect(run.score).toBeGreaterThan(scattered.score);
  });

  it('scores a word-start match above the same letters mid-word', () => {
    expect(fuzzyMatch('pod', 'Pods')!.score).toBeGreaterThan(fuzzyMatch('pod', 'Ipodding')!.score);
    expect(fuzzyMatch('sc', 'scale')!.score).toBeGreaterThan(fuzzyMatch('sc', 'disco')!.score);
  });

  it('counts camelCase humps and digits after letters as word starts', () => {
    expect(fuzzyMatch('pj', 'PyTorchJob')!.positions).toEqual([0, 7]);
    expect(fuzzyMatch('w2', 'worker-a2')!.positions).toEqual([0, 8]);
  });

  it('an empty query matches everything with no positions', () => {
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('finds the best placement however long the gaps are', () => {
    // The only "z" is far away: the gap is capped, not a reason to fail.
    const text = `a${'x'.repeat(40)}z`;
    expect(fuzzyMatch('az', text)!.positions).toEqual([0, 41]);
  });
});

describe('normalizeQuery', () => {
  it('drops whitespace and lower-cases', () => {
    expect(normalizeQuery('  Logs  LLM ')).toBe('logsllm');
  });
});
