/**
 * Memory probes for the live-view benchmarks: the renderer's JavaScript heap after a forced
 * garbage collection (through the DevTools protocol, so only live objects count), and the
 * backend process's resident set from /proc (Linux).
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';

const MB = 1024 * 1024;

/** Used JS heap of the page in MB, after a full GC. */
export async function rendererHeapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / MB;
  } finally {
    await cdp.detach();
  }
}

/** Resident set of a process in MB (VmRSS), or NaN where /proc is missing. */
export function processRssMB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Least-squares slope of (seconds, MB) samples, as MB per hour. */
export function growthPerHour(samples: { seconds: number; mb: number }[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.seconds, 0) / n;
  const my = samples.reduce((s, p) => s + p.mb, 0) / n;
  const sxy = samples.reduce((s, p) => s + (p.seconds - mx) * (p.mb - my), 0);
  const sxx = samples.reduce((s, p) => s + (p.seconds - mx) ** 2, 0);
  return sxx === 0 ? 0 : (sxy / sxx) * 3600;
}
