import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createServices, type Services } from '../../main/services';
import { createSettingsFile } from '../../main/settings/settings-file';
import { silentLogger } from '../../main/logger';

/** A fresh temp dir removed by the returned cleanup. */
export function tempDir(prefix = 'slipway-test-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Services as the CLI builds them, on a private settings dir and the given env. */
export function testServices(env: NodeJS.ProcessEnv, configDir: string, options: { allowExec?: boolean; execTimeoutMs?: number } = {}): Services {
  return createServices({
    face: 'serve',
    version: 'test',
    env,
    configDir,
    settingsBackend: createSettingsFile(configDir),
    log: silentLogger,
    allowExec: options.allowExec,
    execTimeoutMs: options.execTimeoutMs,
  });
}

/** A TCP server that accepts connections and never answers: a cluster that hangs. */
export async function startBlackhole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A writable that keeps what was written, for CLI output. */
export function captureStream(): Writable & { text(): string } {
  let buffer = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      buffer += chunk.toString();
      done();
    },
  }) as Writable & { text(): string };
  stream.text = () => buffer;
  return stream;
}

/** A kubeconfig with one context per entry; `exec` users get a plugin, others a token. */
export function writeKubeconfig(
  file: string,
  contexts: { name: string; server: string; exec?: { command: string; args: string[] }; namespace?: string }[],
  current?: string,
): string {
  const lines = ['apiVersion: v1', 'kind: Config', `current-context: ${current ?? contexts[0]?.name ?? ''}`, 'clusters:'];
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`, '    insecure-skip-tls-verify: true');
  lines.push('users:');
  for (const c of contexts) {
    lines.push(`- name: ${c.name}`, '  user:');
    if (c.exec) {
      lines.push('    exec:', '      apiVersion: client.authentication.k8s.io/v1', `      command: ${c.exec.command}`, `      args: ${JSON.stringify(c.exec.args)}`, '      interactiveMode: Never');
    } else lines.push('    token: test-token');
  }
  lines.push('contexts:');
  for (const c of contexts) lines.push(`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`, ...(c.namespace ? [`    namespace: ${c.namespace}`] : []));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * The real `kubectl proxy` in front of a cluster, on a loopback port it picks: a plain-HTTP API
 * server that holds the credentials itself. `close()` stops it.
 */
export async function startKubectlProxy(kubectl: string, kubeconfigPath: string): Promise<{ port: number; url: string; close(): void }> {
  const proxy = spawn(kubectl, ['proxy', '--kubeconfig', kubeconfigPath, '--address', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    proxy.stdout.on('data', (d) => {
      seen += d;
      const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) resolve(Number(match[1]));
    });
    proxy.stderr.on('data', (d) => (seen += d));
    proxy.once('exit', (code) => reject(new Error(`kubectl proxy exited ${code}: ${seen}`)));
  });
  return { port, url: `http://127.0.0.1:${port}`, close: () => proxy.kill() };
}

/**
 * A kubeconfig with `through-proxy` (plain HTTP to `proxyUrl`, no credentials) and two contexts
 * whose plain-HTTP server is another machine (TEST-NET-1, never contacted: the refusal comes
 * before any connection) with a token (`remote-token`) and with a credential plugin (`remote-plugin`).
 */
export function writePlainHttpKubeconfig(file: string, proxyUrl: string, plugin: string): string {
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: through-proxy',
      'clusters:',
      `- {name: proxy, cluster: {server: "${proxyUrl}"}}`,
      '- {name: remote, cluster: {server: "http://192.0.2.10:8080"}}',
      'users:',
      '- {name: nobody, user: {}}',
      '- {name: with-token, user: {token: secret-token}}',
      `- {name: with-plugin, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}`,
      'contexts:',
      '- {name: through-proxy, context: {cluster: proxy, user: nobody}}',
      '- {name: remote-token, context: {cluster: remote, user: with-token}}',
      '- {name: remote-plugin, context: {cluster: remote, user: with-plugin}}',
      '',
    ].join('\n'),
  );
  return file;
}
