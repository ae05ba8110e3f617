/**
 * Kubernetes resource quantities ("500m", "16Gi", "1e3", 2) as numbers of base units, for
 * capacity, quota and display arithmetic. Precise enough to compare and show; not for writing
 * quantities back to the API.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The quantity's value, or NaN when it is not a quantity. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const match = QUANTITY.exec(value.trim());
  if (!match) return NaN;
  const n = Number(match[1]) * SUFFIX[match[2] ?? '']!;
  return Number.isFinite(n) ? n : NaN;
}

/** Like {@link parseQuantity}, but 0 for anything unparseable: views must never throw on a malformed field. */
export function quantityOrZero(value: unknown): number {
  const n = parseQuantity(value);
  return Number.isNaN(n) ? 0 : n;
}

/** Bytes as a short binary size: 1.5Gi. */
export function formatBytes(bytes: number): string {
  if (!bytes) return '0';
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toFixed(v < 10 && i > 0 ? 1 : 0))}${units[i]}`;
}

/** CPU cores as Kubernetes writes them: 250m, 2. */
export function formatCpu(cores: number): string {
  if (cores === 0) return '0';
  if (cores < 1 || !Number.isInteger(cores)) return `${Math.round(cores * 1000)}m`;
  return String(cores);
}

/** A number for people, by resource name: memory and storage in binary units, CPU in cores or millicores. */
export function formatQuantity(resource: string, value: number): string {
  if (/memory|storage/.test(resource)) return formatBytes(value);
  if (/cpu/.test(resource)) return formatCpu(value);
  return String(+value.toFixed(3));
}
