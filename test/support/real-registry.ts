/**
 * A real container registry for tests: Debian's `docker-registry` (distribution 2.x) on a free
 * loopback port with its own storage folder, optionally behind htpasswd basic auth. It listens on
 * 127.0.0.2, a loopback address Slipway's static check does not take for a laptop-only registry,
 * so it stands in for "the target's registry" while Docker still talks plain HTTP to it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createSign, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from './fixtures';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
const HOST = '127.0.0.2';

/**
 * Whether `docker-registry` (and `htpasswd` for the auth instance) are installed. Locally a
 * missing one prints an explicit SKIPPED line; under CI=true it throws.
 */
export function requireRegistry(suite: string): boolean {
  let missing: string | undefined;
  if (!fs.existsSync(REGISTRY_BIN)) missing = `${REGISTRY_BIN} — apt-get install docker-registry`;
  else if (spawnSync('htpasswd', ['-nbB', 'u', 'p'], { encoding: 'utf8' }).status !== 0) missing = 'htpasswd — apt-get install apache2-utils';
  else if (spawnSync('openssl', ['version'], { encoding: 'utf8' }).status !== 0) missing = 'openssl (the token instance signs with a self-signed certificate) — apt-get install openssl';
  if (!missing) return true;
  const message = `${suite}: needs ${missing}`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  process.stdout.write(`SKIPPED (${message})\n`);
  return false;
}

export interface TestRegistry {
  /** `127.0.0.2:<port>`: what image references start with. */
  host: string;
  url: string;
  /** Basic credentials when started with auth. */
  credentials?: { username: string; password: string };
  /** Uploads a tiny image (config + one layer) by the registry API; returns the manifest's digest. */
  upload(repository: string, tag: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sha = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A token service as Docker Hub's auth.docker.io is one: `GET /token?service=…&scope=…`, with
 * Basic credentials for the right user granting pull and push on the scope's repository, and
 * without them a token that grants nothing. Its JWTs are RS256 with the signing certificate in
 * `x5c`, which the registry verifies against its root bundle.
 */
async function startTokenService(dir: string, credentials: { username: string; password: string }, service: string, issuer: string) {
  const key = path.join(dir, 'token.key');
  const cert = path.join(dir, 'token.crt');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=slipway-test-token'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl req: ${made.stderr}`);
  const der = Buffer.from(fs.readFileSync(cert, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64').toString('base64');
  const privateKey = fs.readFileSync(key, 'utf8');
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scope = url.searchParams.get('scope') ?? '';
    const [, name] = /^repository:([^:]+):/.exec(scope) ?? [];
    if (req.headers.authorization && req.headers.authorization !== expected) {
      res.writeHead(401).end('{"details":"wrong credentials"}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: req.headers.authorization ? credentials.username : '', aud: url.searchParams.get('service') ?? service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access: req.headers.authorization && name ? [{ type: 'repository', name, actions: ['pull', 'push'] }] : [] };
    const signingInput = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ token: `${signingInput}.${b64url(signature)}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { realm: `http://${HOST}:${(server.address() as net.AddressInfo).port}/token`, cert, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** `auth: true` (or `'basic'`) puts the registry behind htpasswd; `'token'` behind a Bearer token service. */
export async function startRegistry(options: { auth?: boolean | 'basic' | 'token' } = {}): Promise<TestRegistry> {
  const tmp = tempDir('slipway-registry-');
  const port = await freePort();
  const host = `${HOST}:${port}`;
  const credentials = options.auth ? { username: 'slipway', password: `pw-${process.pid}-${port}` } : undefined;
  let auth = '';
  let tokens: Awaited<ReturnType<typeof startTokenService>> | undefined;
  if (credentials && options.auth === 'token') {
    tokens = await startTokenService(tmp.dir, credentials, 'slipway-test', 'slipway-test-issuer');
    auth = `auth:\n  token:\n    realm: ${tokens.realm}\n    service: slipway-test\n    issuer: slipway-test-issuer\n    rootcertbundle: ${tokens.cert}\n`;
  } else if (credentials) {
    const line = spawnSync('htpasswd', ['-nbB', credentials.username, credentials.password], { encoding: 'utf8' }).stdout.trim();
    fs.writeFileSync(path.join(tmp.dir, 'htpasswd'), `${line}\n`);
    auth = `auth:\n  htpasswd:\n    realm: slipway-test\n    path: ${path.join(tmp.dir, 'htpasswd')}\n`;
  }
  fs.writeFileSync(
    path.join(tmp.dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(tmp.dir, 'data')}\nhttp:\n  addr: ${host}\n${auth}`,
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', path.join(tmp.dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => (log = (log + d).slice(-4000)));
  const url = `http://${host}`;
  const basic: Record<string, string> = credentials ? { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` } : {};
  /** Headers that may push to a repository: Basic, or a Bearer token the token service grants. */
  const authFor = async (repository: string): Promise<Record<string, string>> => {
    if (!tokens) return basic;
    const res = await fetch(`${tokens.realm}?service=slipway-test&scope=${encodeURIComponent(`repository:${repository}:pull,push`)}`, { headers: basic });
    return { Authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await tokens?.close();
    tmp.cleanup();
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await fetch(`${url}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (answer === 200 || answer === 401) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not come up on ${host}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const blob = async (repository: string, data: Buffer) => {
    const authorization = await authFor(repository);
    const digest = sha(data);
    const start = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: authorization });
    if (start.status !== 202) throw new Error(`blob upload start: ${start.status}`);
    const location = new URL(start.headers.get('location')!, url);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', headers: { ...authorization, 'Content-Type': 'application/octet-stream' }, body: data });
    if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${await put.text()}`);
    return { digest, size: data.length };
  };
  return {
    host,
    url,
    ...(credentials ? { credentials } : {}),
    async upload(repository, tag) {
      const config = await blob(repository, Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} })));
      const layer = await blob(repository, Buffer.from(`layer of ${repository}:${tag}`));
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
      });
      const put = await fetch(`${url}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { ...(await authFor(repository)), 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
      if (put.status !== 201) throw new Error(`manifest upload: ${put.status} ${await put.text()}`);
      const digest = put.headers.get('docker-content-digest');
      if (digest !== sha(manifest)) throw new Error(`the registry stored ${digest}, not ${sha(manifest)}`);
      return digest;
    },
    stop,
  };
}
