import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devServerUrlFor, isAllowedExternalUrl, isAppUrl, permissionDecision, secureWebPreferences, shouldPreventNavigation, windowOpenDecision } from './security';
import { rendererCsp } from '../http/static-files';
import { isForwardUrl } from '../port-forward/forward-url';

describe('window security policy', () => {
  it('sandboxes the renderer: isolation on, sandbox on, no Node anywhere', () => {
    const prefs = secureWebPreferences('/app/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('denies every window.open; only allowlisted https links go to the system browser', () => {
    expect(windowOpenDecision('https://kind.sigs.k8s.io/docs/')).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('https://github.com/NVIDIA/nvkind')).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('http://github.com/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('https://evil.example/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('https://github.com.evil.example/')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: false });
    expect(isAllowedExternalUrl('https://user:pw@github.com/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
  });

  it('opens http://127.0.0.1:PORT externally only while a forward listens on PORT', () => {
    const active = new Set([18080]);
    const isActive = (url: string) => isForwardUrl(url, active);
    expect(windowOpenDecision('http://127.0.0.1:18080', isActive)).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('http://127.0.0.1:18080/metrics?x=1', isActive)).toEqual({ action: 'deny', openExternally: true });
    // Another port, another host name for loopback, credentials, https, or no predicate at all: no.
    expect(windowOpenDecision('http://127.0.0.1:18081/', isActive).openExternally).toBe(false);
    expect(windowOpenDecision('http://localhost:18080/', isActive).openExternally).toBe(false);
    expect(windowOpenDecision('http://u:p@127.0.0.1:18080/', isActive).openExternally).toBe(false);
    expect(windowOpenDecision('https://127.0.0.1:18080/', isActive).openExternally).toBe(false);
    expect(windowOpenDecision('http://127.0.0.1/', isActive).openExternally).toBe(false);
    expect(windowOpenDecision('http://127.0.0.1:18080/').openExternally).toBe(false);
    // Stopped: the port is no longer the forward's.
    active.delete(18080);
    expect(windowOpenDecision('http://127.0.0.1:18080', isActive).openExternally).toBe(false);
  });

  it('prevents navigation away from the app document but allows hash routing', () => {
    const current = 'file:///opt/Slipway/out/renderer/index.html#/clusters';
    expect(shouldPreventNavigation('file:///opt/Slipway/out/renderer/index.html#/settings', current)).toBe(false);
    expect(shouldPreventNavigation('https://evil.example/', current)).toBe(true);
    expect(shouldPreventNavigation('file:///etc/passwd', current)).toBe(true);
    expect(shouldPreventNavigation('not a url', current)).toBe(true);
  });

  it('denies permission requests by default', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'clipboard-read', 'hid', 'serial']) {
      expect(permissionDecision(permission)).toBe(false);
    }
  });

  it('trusts IPC only from the packaged renderer file or the dev server origin', () => {
    const origin = { rendererFile: '/opt/Slipway/out/renderer/index.html' };
    expect(isAppUrl('file:///opt/Slipway/out/renderer/index.html#/x', origin)).toBe(true);
    expect(isAppUrl('file:///tmp/evil.html', origin)).toBe(false);
    expect(isAppUrl('https://evil.example/', origin)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', { ...origin, devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isAppUrl('http://localhost:5174/', { ...origin, devServerUrl: 'http://localhost:5173' })).toBe(false);
  });

  it('compares the packaged renderer path as Windows does: drive letters, backslashes, any case', () => {
    const origin = { rendererFile: 'C:\\Program Files\\Slipway\\resources\\app.asar\\out\\renderer\\index.html' };
    expect(isAppUrl('file:///C:/Program%20Files/Slipway/resources/app.asar/out/renderer/index.html#/clusters', origin, 'win32')).toBe(true);
    expect(isAppUrl('file:///c:/program%20files/slipway/resources/app.asar/out/renderer/index.html', origin, 'win32')).toBe(true);
    expect(isAppUrl('file:///C:/Users/evil/index.html', origin, 'win32')).toBe(false);
    // A UNC host is never the packaged file.
    expect(isAppUrl('file://evil-host/C$/Program%20Files/Slipway/resources/app.asar/out/renderer/index.html', origin, 'win32')).toBe(false);
    // On POSIX the comparison stays exact (case matters) and dot segments cannot sneak in.
    const posix = { rendererFile: '/opt/Slipway/out/renderer/index.html' };
    expect(isAppUrl('file:///opt/slipway/out/renderer/index.html', posix, 'linux')).toBe(false);
    expect(isAppUrl('file:///opt/Slipway/out/renderer/../renderer/index.html', posix, 'linux')).toBe(true);
  });

  it('honours ELECTRON_RENDERER_URL in development builds only, and only on loopback', () => {
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173');
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, false)).toBe('http://127.0.0.1:5173');
    // The attack: a packaged app started with the variable set loads that origin with full IPC.
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'https://evil.example' }, true)).toBeUndefined();
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'https://evil.example' }, false)).toBeUndefined();
    expect(devServerUrlFor({ ELECTRON_RENDERER_URL: 'file:///tmp/evil.html' }, false)).toBeUndefined();
    expect(devServerUrlFor({}, false)).toBeUndefined();
  });

  it('packages with the hardening fuses: no RunAsNode, NODE_OPTIONS or --inspect; encrypted cookies; asar integrity, app from asar only', () => {
    const config = parse(fs.readFileSync(path.resolve(__dirname, '../../electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean> };
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('has a strict CSP: no inline or remote scripts, no objects, no framing', () => {
    const csp = rendererCsp();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
  });
});
