/**
 * Fuzzy matching for the command palette: the query's characters must appear in the text in
 * order (a subsequence, case-insensitive, whitespace in the query ignored). Among the ways to
 * place them, the best-scoring one wins: characters at word starts and runs of consecutive
 * characters score high, gaps cost a little, so "lf" finds "llm-finetune" by its two words.
 */

export interface FuzzyMatch {
  score: number;
  /** Indexes in the text of the matched characters, ascending (for highlighting). */
  positions: number[];
}

const MATCH = 1;
const WORD_START = 8;
const FIRST_CHAR = 4;
const CONSECUTIVE = 6;
const GAP = 1;
const MAX_GAP_PENALTY = 6;

const SEPARATORS = new Set([' ', '-', '_', '.', '/', ':', '@', '(', ')', '·', ',']);

/** Bonus for matching text[j]: the first character, after a separator, or a camelCase hump. */
function startBonus(text: string, j: number): number {
  if (j === 0) return WORD_START + FIRST_CHAR;
  const prev = text[j - 1]!;
  if (SEPARATORS.has(prev)) return WORD_START;
  const ch = text[j]!;
  if (ch >= 'A' && ch <= 'Z' && prev >= 'a' && prev <= 'z') return WORD_START;
  if (ch >= '0' && ch <= '9' && !(prev >= '0' && prev <= '9')) return WORD_START / 2;
  return 0;
}

/** Whitespace-free, lower-case form of a query. */
export function normalizeQuery(query: string): string {
  return query.replace(/\s+/g, '').toLowerCase();
}

/**
 * Scores `text` against an already normalized query (see normalizeQuery); null when the query is
 * not a subsequence of the text. Dynamic programming over (query char, text position): O(q·t),
 * run only after a linear subsequence check passed.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  if (!query) return { score: 0, positions: [] };
  const lower = text.toLowerCase();
  // Cheap rejection first: most entries do not contain the query at all.
  let k = 0;
  for (let j = 0; j < lower.length && k < query.length; j++) if (lower[j] === query[k]) k++;
  if (k < query.length) return null;

  const n = query.length;
  const m = lower.length;
  // best[i][j]: best score with query[0..i] placed and query[i] at text[j]; -Infinity if impossible.
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(m).fill(-Infinity);
    const back = new Int32Array(m).fill(-1);
    const q = query[i];
    // Far predecessors all pay the capped gap penalty: a prefix maximum covers them exactly;
    // the few near ones (gap below the cap) are checked one by one.
    let farBest = -Infinity;
    let farFrom = -1;
    for (let j = i; j < m; j++) {
      const far = j - 1 - MAX_GAP_PENALTY;
      if (i > 0 && far >= 0) {
        const value = best[i - 1]![far]!;
        if (value > farBest) {
          farBest = value;
          farFrom = far;
        }
      }
      if (lower[j] !== q) continue;
      const bonus = MATCH + startBonus(text, j);
      if (i === 0) {
        // Leading characters skipped cost a little too, so earlier matches win ties.
        row[j] = bonus - Math.min(MAX_GAP_PENALTY, j * 0.5);
        continue;
      }
      const previous = best[i - 1]!;
      let score = -Infinity;
      let source = -1;
      if (j > 0 && previous[j - 1]! > -Infinity) {
        score = previous[j - 1]! + bonus + CONSECUTIVE;
        source = j - 1;
      }
      for (let p = Math.max(0, far + 1); p <= j - 2; p++) {
        const viaGap = previous[p]! - GAP * (j - p - 1) + bonus;
        if (previous[p]! > -Infinity && viaGap > score) {
          score = viaGap;
          source = p;
        }
      }
      if (farFrom >= 0 && farBest - MAX_GAP_PENALTY + bonus > score) {
        score = farBest - MAX_GAP_PENALTY + bonus;
        source = farFrom;
      }
      row[j] = score;
      back[j] = source;
    }
    best.push(row);
    from.push(back);
  }
  let end = -1;
  let score = -Infinity;
  for (let j = 0; j < m; j++) {
    if (best[n - 1]![j]! > score) {
      score = best[n - 1]![j]!;
      end = j;
    }
  }
  if (end < 0) return null;
  const positions: number[] = new Array<number>(n);
  for (let i = n - 1, j = end; i >= 0; i--) {
    positions[i] = j;
    j = from[i]![j]!;
  }
  return { score, positions };
}
