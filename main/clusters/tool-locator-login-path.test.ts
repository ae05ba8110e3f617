import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loginShellPath, mergePathLists } from './login-shell-path';
import { ToolLocator } from './tool-locator';
import { VERSION_PROBES } from './tool-versions';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function temp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-locator-'));
  dirs.push(dir);
  return dir;
}

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('login shell PATH', () => {
  it('reads PATH from a login shell, ignoring what rc files print around it', async () => {
    const dir = temp();
    // A "shell" whose profile prints a banner and sets PATH, like ~/.zprofile with Homebrew.
    const shell = script(dir, 'fake-shell', 'echo "Welcome back"\nPATH="/opt/homebrew/bin:/home/me/.local/bin:/usr/bin:/bin"; export PATH\nshift\nexec /bin/sh -c "$1"');
    expect(await loginShellPath({ env: {}, shell, platform: 'linux' })).toBe('/opt/homebrew/bin:/home/me/.local/bin:/usr/bin:/bin');
  });

  it('gives up quietly: no answer on Windows or from a shell that cannot start', async () => {
    expect(await loginShellPath({ env: {}, platform: 'win32' })).toBeUndefined();
    expect(await loginShellPath({ env: {}, shell: '/nonexistent/shell', platform: 'linux' })).toBeUndefined();
  });

  it('merges PATH lists keeping the first occurrence', () => {
    expect(mergePathLists('/usr/bin:/bin', '/opt/homebrew/bin:/usr/bin', undefined)).toBe('/usr/bin:/bin:/opt/homebrew/bin');
  });
});

describe('ToolLocator with the login shell PATH', () => {
  it('finds a tool only the login shell knows, reports the added directories, runs tools with the widened PATH and reads versions', async () => {
    const minimal = temp();
    const homebrew = temp();
    script(homebrew, 'kind', 'echo "kind v0.33.0 go1.26.8 darwin/arm64"');
    script(homebrew, 'helm', 'echo "v3.16.2+g13654a5"');
    const locator = new ToolLocator({
      settings: () => ({ toolPaths: {} }),
      searchPath: () => minimal,
      loginShellPath: async () => `${homebrew}:${minimal}`,
      env: { PATH: minimal },
    });
    expect(await locator.find('kind')).toEqual({ id: 'kind', path: path.join(homebrew, 'kind'), source: 'path' });
    expect(await locator.loginShellAdded()).toEqual([homebrew]);
    expect((await locator.env()).PATH).toBe(`${minimal}:${homebrew}`);
    expect(await locator.status('kind')).toEqual({ id: 'kind', found: true, path: path.join(homebrew, 'kind'), source: 'path', version: 'v0.33.0' });
    expect((await locator.status('helm')).version).toBe('v3.16.2');
    expect(await locator.status('k3d')).toEqual({ id: 'k3d', found: false });
  });

  it('a tool that fails to report a version is found, with the reason', async () => {
    const dir = temp();
    script(dir, 'k3d', 'echo "FATA[0000] config broken" >&2; exit 1');
    const locator = new ToolLocator({ settings: () => ({ toolPaths: {} }), searchPath: () => dir, env: {} });
    expect(await locator.status('k3d')).toEqual({ id: 'k3d', found: true, path: path.join(dir, 'k3d'), source: 'path', error: 'FATA[0000] config broken' });
  });
});

describe('version probes on the tools’ documented output', () => {
  it.each([
    ['docker', '28.2.2\n', 'v28.2.2'],
    ['podman', 'podman version 5.2.2\n', 'v5.2.2'],
    ['kind', 'kind v0.33.0 go1.26.8 linux/amd64\n', 'v0.33.0'],
    ['k3d', 'k3d version v5.8.3\nk3s version v1.31.5-k3s1 (default)\n', 'v5.8.3'],
    ['kubectl', '{"clientVersion":{"gitVersion":"v1.34.4","major":"1"},"kustomizeVersion":"v5.7.1"}', 'v1.34.4'],
    ['kwokctl', 'kwokctl version v0.7.0 go1.24.1 (linux/amd64)\n', 'v0.7.0'],
    ['nvidiaCtk', 'NVIDIA Container Toolkit CLI version 1.17.3\ncommit: 2f5bd9a\n', 'v1.17.3'],
    ['nvidiaSmi', '550.54.15\n', '550.54.15'],
  ] as const)('%s', (tool, output, version) => {
    expect(VERSION_PROBES[tool]!.parse(output)).toBe(version);
  });
});
