/**
 * Electron composition root: services, the IPC transport and the window. The only file (with
 * main/app and main/preload) that imports electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, ipcMain, BrowserWindow } from 'electron';
import { contract } from '../shared/contract';
import { createConsoleLogger } from './logger';
import { createServices } from './services';
import { resolveConfigDir } from './settings/config-dir';
import { createSettingsFile } from './settings/settings-file';
import { createHandlers } from './rpc/handlers/index';
import { RpcRouter } from './rpc/router';
import { attachElectronTransport } from './rpc/electron-transport';
import { devServerUrlFor, isAppUrl } from './app/security';
import { createMainWindow, hardenSession } from './app/window';
import { SLIPWAY_VERSION } from './version';

const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.join(here, '../preload/index.cjs');
const rendererFile = path.join(here, '../renderer/index.html');
// Honoured in development builds only (see devServerUrlFor).
const devServerUrl = devServerUrlFor(process.env, app.isPackaged);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const log = createConsoleLogger('slipway');
  const configDir = resolveConfigDir();
  // One settings file: the app, serve mode and the CLI share settings.
  const settingsBackend = createSettingsFile(configDir);
  const services = createServices({ face: 'electron', version: SLIPWAY_VERSION, env: process.env, configDir, settingsBackend, log });
  const router = new RpcRouter(contract, createHandlers(services), log, services.taskRuns);
  let win: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });

  app.whenReady().then(() => {
    hardenSession(devServerUrl);
    attachElectronTransport(ipcMain, router, {
      isTrustedFrame: (url) => isAppUrl(url, { devServerUrl, rendererFile }),
      log,
    });
    win = createMainWindow({ preload, rendererFile, devServerUrl, isActiveForwardUrl: (url) => services.portForward.isActiveForwardUrl(url) });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) win = createMainWindow({ preload, rendererFile, devServerUrl, isActiveForwardUrl: (url) => services.portForward.isActiveForwardUrl(url) });
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => services.dispose());
}
