import path from 'node:path';
import { BrowserWindow, shell, session, nativeTheme } from 'electron';
import { rendererCsp } from '../http/static-files';
import { permissionDecision, secureWebPreferences, shouldPreventNavigation, windowOpenDecision } from './security';

export interface WindowPaths {
  preload: string;
  rendererFile: string;
  devServerUrl?: string;
  /** Whether a URL is that of a running port forward (the Forwards page's Open button). */
  isActiveForwardUrl?: (url: string) => boolean;
}

/** Applies the session-wide policy once: CSP on every response, permissions denied. */
export function hardenSession(devServerUrl?: string): void {
  const ses = session.defaultSession;
  // The dev server's hot reload needs its own WebSocket; production allows nothing external.
  const connect = devServerUrl ? [devServerUrl.replace(/^http/, 'ws')] : [];
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [rendererCsp(connect)] } });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionDecision(permission, details)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
}

export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Slipway',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14161a' : '#f7f8fa',
    webPreferences: secureWebPreferences(paths.preload),
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('will-navigate', (event, url) => {
    if (shouldPreventNavigation(url, win.webContents.getURL())) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, paths.isActiveForwardUrl);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
  if (paths.devServerUrl) void win.loadURL(paths.devServerUrl);
  else void win.loadFile(path.resolve(paths.rendererFile));
  return win;
}
