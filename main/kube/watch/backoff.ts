/**
 * Exponential backoff with full jitter: the n-th delay is uniform in [base, min(cap, base·2ⁿ)].
 * Jitter keeps many watches of one cluster from reconnecting in lockstep after an outage.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 250,
    private readonly capMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(this.baseMs + this.random() * Math.max(0, ceiling - this.baseMs));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
