import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); Playwright's own browser download is not used. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireChromium(suite: string): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  const message = `${suite}: needs Chromium at ${CHROMIUM_PATH} — apt-get install chromium`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}
