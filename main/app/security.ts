/**
 * The Electron window's security policy as plain values and functions, so tests can assert it
 * without an Electron binary. `main/app/window.ts` applies them.
 */
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
 * file otherwise. IPC from anything else is dropped.
 */
export function isAppUrl(raw: string, appOrigin: { devServerUrl?: string; rendererFile: string }): boolean {
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
  return url.protocol === 'file:' && decodeURIComponent(url.pathname) === appOrigin.rendererFile;
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

/** `window.open` never creates a window; allowlisted https links go to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isAllowedExternalUrl(url) };
}

/** Permission requests (camera, notifications, geolocation, …) are denied by default. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write'];

export function permissionDecision(permission: string, _details?: unknown): boolean {
  return ALLOWED_PERMISSIONS.includes(permission);
}
