/**
 * The Electron window's security policy as plain values and functions, so tests can assert it
 * without an Electron binary. `main/app/window.ts` applies them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions } from 'electron';

/** The renderer is a sandboxed web page: no Node, isolated preload, no remote content. */
export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Hosts `shell.openExternal` may open: documentation and project pages only, https only. */
export const EXTERNAL_URL_ALLOWLIST = [
  'github.com',
  'kubernetes.io',
  'kind.sigs.k8s.io',
  'k3d.io',
  'kwok.sigs.k8s.io',
  'docs.nvidia.com',
  'docs.docker.com',
] as const;

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false;
  return EXTERNAL_URL_ALLOWLIST.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}

/**
 * Whether a frame URL is the app's own renderer: the dev server in development, the packaged
 * file otherwise. IPC from anything else is dropped. File paths are compared as the platform
 * compares them: on Windows `file:///C:/…/index.html` is `C:\…\index.html`, case-insensitively.
 */
export function isAppUrl(raw: string, appOrigin: { devServerUrl?: string; rendererFile: string }, platform: NodeJS.Platform = process.platform): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (appOrigin.devServerUrl) {
    const dev = new URL(appOrigin.devServerUrl);
    if (url.origin === dev.origin) return true;
  }
  if (url.protocol !== 'file:' || url.host !== '') return false;
  const windows = platform === 'win32';
  let file: string;
  try {
    file = fileURLToPath(url, { windows });
  } catch {
    return false;
  }
  if (!windows) return path.posix.normalize(file) === path.posix.normalize(appOrigin.rendererFile);
  const norm = (p: string) => path.win32.normalize(p).toLowerCase();
  return norm(file) === norm(appOrigin.rendererFile);
}

/**
 * The dev server the window loads, from electron-vite's `ELECTRON_RENDERER_URL` — in an
 * unpackaged (development) build only, and only on loopback. A packaged app ignores it: it
 * would load whatever origin the variable names and trust it with full IPC, the shell included.
 */
export function devServerUrlFor(env: NodeJS.ProcessEnv, isPackaged: boolean): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !raw) return undefined;
  try {
    const url = new URL(raw);
    const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Navigation away from the app is never allowed; the app is a single page. */
export function shouldPreventNavigation(targetUrl: string, currentUrl: string): boolean {
  try {
    const target = new URL(targetUrl);
    const current = new URL(currentUrl);
    // Same document with another hash is in-app routing.
    return !(target.origin === current.origin && target.pathname === current.pathname);
  } catch {
    return true;
  }
}

/**
 * `window.open` never creates a window. Allowlisted https links go to the system browser, and
 * so does `http://127.0.0.1:PORT` while a port forward listens on PORT (`isActiveForwardUrl`,
 * from the port-forward service): a stopped forward's port may belong to anything by then.
 */
export function windowOpenDecision(url: string, isActiveForwardUrl: (url: string) => boolean = () => false): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url) || isActiveForwardUrl(url) };
}

/** Permission requests (camera, notifications, geolocation, …) are denied by default. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

export function permissionDecision(permission: string, _details?: unknown): boolean {
  return ALLOWED_PERMISSIONS.includes(permission);
}
