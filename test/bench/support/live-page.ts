/**
 * A Chromium page on `slipway serve`, instrumented for the live-view benchmarks: every WebSocket
 * message from the backend is timed and sized, long tasks are collected, and the watched context
 * is preselected so the measured page subscribes at once.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../e2e/support/browser';
import { startServeProcess, type ServeProcess } from '../../e2e/support/serve-process';

// The init script runs inside Chromium; the Node tsconfig has no DOM types.
declare const window: any, localStorage: any, PerformanceObserver: any;

export interface LivePage {
  page: Page;
  serve: ServeProcess;
  browser: Browser;
  close(): Promise<void>;
}

/** What the init script collects in the page, as `window.__bench`. */
export interface BenchRecord {
  messages: { at: number; bytes: number }[];
  longTasks: { at: number; ms: number }[];
}

export async function openLivePage(kubeconfig: string, configDir: string, context: string, options: { chromiumArgs?: string[] } = {}): Promise<LivePage> {
  const serve = await startServeProcess({ ...process.env, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: configDir, HOME: path.dirname(configDir) });
  const browser = await launchChromium(options.chromiumArgs);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript((ctx) => {
    localStorage.setItem('slipway.live-selection', JSON.stringify({ contexts: [ctx], namespace: '' }));
    window.__bench = { messages: [], longTasks: [] };
    const Native = window.WebSocket;
    class Counting extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', (e: { data: unknown }) => {
          window.__bench.messages.push({ at: performance.now(), bytes: typeof e.data === 'string' ? e.data.length : 0 });
        });
      }
    }
    window.WebSocket = Counting;
    new PerformanceObserver((list: { getEntries(): { startTime: number; duration: number }[] }) => {
      for (const entry of list.getEntries()) window.__bench.longTasks.push({ at: entry.startTime, ms: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  }, context);
  await page.goto(serve.url);
  return {
    page,
    serve,
    browser,
    close: async () => {
      await browser.close();
      await serve.stop();
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
