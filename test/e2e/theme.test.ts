import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { tempDir } from '../support/fixtures';
import { launchChromium, requireChromium } from './support/browser';
import { requireBuild, startServeProcess, type ServeProcess } from './support/serve-process';

const enabled = requireChromium('theme e2e') && requireBuild('theme e2e');

// Evaluated inside Chromium; the Node tsconfig has no DOM types.
declare const document: any, getComputedStyle: any;

describe.runIf(enabled)('light and dark themes', () => {
  const tmp = tempDir();
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    serve = await startServeProcess({ ...process.env, HOME: tmp.dir, KUBECONFIG: path.join(tmp.dir, 'none'), SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config') });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    tmp.cleanup();
  });

  const background = (page: import('playwright-core').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor as string);

  it('follows the OS, and the Settings choice overrides it; the choice is saved', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(serve.url);
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    expect(await background(page)).toBe('rgb(20, 22, 26)');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => background(page)).toBe('rgb(247, 248, 250)');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => background(page)).toBe('rgb(20, 22, 26)');
    // A second window (another tab, or the app after a restart) gets the saved theme.
    const second = await browser.newPage({ colorScheme: 'light' });
    await second.goto(serve.url);
    await expect.poll(() => background(second)).toBe('rgb(20, 22, 26)');
    await page.getByLabel('Theme').selectOption('system');
    await expect.poll(() => background(second)).toBe('rgb(247, 248, 250)');
  });

  it('is usable from the keyboard: Ctrl+number switches sections', async () => {
    const page = await browser.newPage();
    await page.goto(serve.url);
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    await page.keyboard.press('Control+4');
    await page.getByRole('heading', { name: 'Promote', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Promote' }).getAttribute('aria-current')).toBe('page');
  });
});
