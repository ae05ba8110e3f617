/**
 * Kubernetes quantities ("500m", "16Gi", "1e3", 2) as numbers of base units, for capacity and
 * quota arithmetic. Precise enough for comparisons; not for round-tripping.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value, or NaN when it is not a quantity. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return NaN;
  const match = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return NaN;
  const factor = SUFFIX[match[2]!];
  return factor === undefined ? NaN : Number(match[1]) * factor;
}

/** A number for people: CPU in cores, bytes in Gi/Mi, counts as they are. */
export function formatQuantity(resource: string, value: number): string {
  if (/memory|storage/.test(resource)) return value >= 2 ** 30 ? `${+(value / 2 ** 30).toFixed(2)}Gi` : `${+(value / 2 ** 20).toFixed(1)}Mi`;
  if (/cpu/.test(resource) && value < 1 && value > 0) return `${Math.round(value * 1000)}m`;
  return String(+value.toFixed(3));
}
