/**
 * Adversarial and awkward kubeconfig input against a real API server: an alias bomb in one file,
 * a server behind a path prefix (Rancher), a server reached only through `proxy-url`, and a
 * client certificate rotated on disk while Slipway runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli';
import { parseKubeconfig } from '../../../main/kube/kubeconfig-parse';
import type { Services } from '../../../main/services';
import { requireControlPlane } from '../../support/control-plane';
import { startCluster, type TestCluster } from '../../support/cluster-harness';
import { captureStream, tempDir, testServices } from '../../support/fixtures';

const enabled = requireControlPlane('adversarial: kubeconfig input');

/** A self-signed certificate and key made by openssl, as PEM files; returns their paths. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

describe.runIf(enabled)('adversarial: kubeconfig input', () => {
  let cluster: TestCluster;
  const tmp = tempDir();
  let admin: { cert: Buffer; key: Buffer };
  let apiPort: number;
  const closers: (() => Promise<void>)[] = [];
  const open: Services[] = [];

  /** A one-context kubeconfig for `server`, with the given cluster and user lines. */
  const kubeconfig = (file: string, server: string, clusterLines: string[], userLines: string[]) => {
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: ctx',
        'clusters:',
        '- name: c',
        '  cluster:',
        `    server: ${server}`,
        '    insecure-skip-tls-verify: true',
        ...clusterLines.map((l) => `    ${l}`),
        'users:',
        '- name: u',
        '  user:',
        ...userLines.map((l) => `    ${l}`),
        'contexts:',
        '- name: ctx',
        '  context: {cluster: c, user: u}',
        '',
      ].join('\n'),
    );
    return file;
  };
  const services = (file: string) => {
    const s = testServices({ ...process.env, KUBECONFIG: file, HOME: tmp.dir }, path.join(tmp.dir, `config-${open.length}`));
    open.push(s);
    return s;
  };
  const listen = async (server: net.Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return (server.address() as net.AddressInfo).port;
  };

  beforeAll(async () => {
    cluster = await startCluster();
    apiPort = Number(new URL(cluster.server).port);
    const parsed = parseKubeconfig(cluster.kubeconfigPath, fs.readFileSync(cluster.kubeconfigPath, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const user = parsed.config.users![0]!.user;
    const material = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64') : fs.readFileSync(file!));
    admin = { cert: material(user['client-certificate-data'], user['client-certificate']), key: material(user['client-key-data'], user['client-key']) };
  });
  afterAll(async () => {
    open.forEach((s) => s.dispose());
    for (const close of closers.splice(0)) await close();
    await cluster?.stop();
    tmp.cleanup();
  });

  it('an alias bomb in one kubeconfig file fails that file alone, named, and the other files load', async () => {
    const bomb = path.join(tmp.dir, 'bomb.yaml');
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    fs.writeFileSync(bomb, `${levels.join('\n')}\nclusters: *i\n`);
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['contexts', '--json'], { stdout, stderr, env: { ...process.env, KUBECONFIG: [bomb, cluster.kubeconfigPath].join(path.delimiter), SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'cli-bomb') } });
    expect(code).toBe(0);
    const out = JSON.parse(stdout.text());
    expect(out.contexts.find((c: { name: string }) => c.name === cluster.contextName)).toMatchObject({ reachable: true });
    expect(stderr.text()).toContain('bomb.yaml');
    expect(stderr.text()).toMatch(/alias/i);
  });

  it('keeps the path prefix of a server behind a Rancher-style proxy', async () => {
    const tls = selfSigned(tmp.dir, 'rancher');
    const seen: string[] = [];
    // Rancher's shape: /k8s/clusters/<id>/… is forwarded to the cluster, anything else is 404.
    const proxy = https.createServer({ cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) }, (req, res) => {
      seen.push(req.url ?? '');
      const prefix = '/k8s/clusters/c-1';
      if (!req.url?.startsWith(`${prefix}/`) || req.headers.authorization !== 'Bearer rancher-token') {
        res.writeHead(req.url?.startsWith(prefix) ? 401 : 404, { 'content-type': 'application/json' }).end('{"kind":"Status","message":"not here"}');
        return;
      }
      const upstream = https.request({ host: '127.0.0.1', port: apiPort, path: req.url.slice(prefix.length), method: req.method, cert: admin.cert, key: admin.key, rejectUnauthorized: false, headers: { accept: req.headers.accept ?? '*/*' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    const port = await listen(proxy);
    const s = services(kubeconfig(path.join(tmp.dir, 'rancher.yaml'), `https://127.0.0.1:${port}/k8s/clusters/c-1`, [], ['token: rancher-token']));
    const client = await s.clients.forContext('ctx');
    const res = await client.request<{ gitVersion: string }>({ path: '/version' });
    expect(res.body.gitVersion).toBe('v1.34.4');
    const namespaces = await client.request<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    expect(namespaces.body.items.length).toBeGreaterThan(0);
    expect(seen).toEqual(['/k8s/clusters/c-1/version', '/k8s/clusters/c-1/api/v1/namespaces']);
  });

  it('reaches a server only the proxy-url can reach, through a CONNECT tunnel', async () => {
    const connects: string[] = [];
    const proxy = net.createServer((socket) => {
      socket.once('data', (head) => {
        const line = head.toString('latin1').split('\r\n')[0] ?? '';
        const target = /^CONNECT (\S+) HTTP/.exec(line)?.[1];
        connects.push(target ?? line);
        // The name exists only for the proxy: without it the client cannot even resolve it.
        if (target !== 'kube.invalid:6443') {
          socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
          return;
        }
        const upstream = net.connect(apiPort, '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          socket.pipe(upstream).pipe(socket);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
    });
    const sockets = new Set<net.Socket>();
    proxy.on('connection', (s) => sockets.add(s));
    closers.push(async () => sockets.forEach((s) => s.destroy()));
    const port = await listen(proxy);
    const certFile = path.join(tmp.dir, 'proxy-admin.crt');
    const keyFile = path.join(tmp.dir, 'proxy-admin.key');
    fs.writeFileSync(certFile, admin.cert);
    fs.writeFileSync(keyFile, admin.key);
    const s = services(kubeconfig(path.join(tmp.dir, 'proxied.yaml'), 'https://kube.invalid:6443', [`proxy-url: http://127.0.0.1:${port}`], [`client-certificate: ${certFile}`, `client-key: ${keyFile}`]));
    const client = await s.clients.forContext('ctx');
    const namespaces = await client.request<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    expect(namespaces.body.items.length).toBeGreaterThan(0);
    expect(connects[0]).toBe('kube.invalid:6443');
  });

  it('picks up a client certificate rotated on disk without a restart', async () => {
    const wrong = selfSigned(tmp.dir, 'not-the-cluster');
    const certFile = path.join(tmp.dir, 'rotating.crt');
    const keyFile = path.join(tmp.dir, 'rotating.key');
    fs.copyFileSync(wrong.cert, certFile);
    fs.copyFileSync(wrong.key, keyFile);
    const s = services(kubeconfig(path.join(tmp.dir, 'rotating.yaml'), cluster.server, [], [`client-certificate: ${certFile}`, `client-key: ${keyFile}`]));
    const client = await s.clients.forContext('ctx');
    await expect(client.request({ path: '/api/v1/namespaces' })).rejects.toMatchObject({ code: expect.stringMatching(/UNAUTHORIZED|FORBIDDEN/) });
    // The certificate is renewed in place (cert-manager, a login tool), as a new file at the same path.
    fs.writeFileSync(`${certFile}.new`, admin.cert);
    fs.renameSync(`${certFile}.new`, certFile);
    fs.writeFileSync(`${keyFile}.new`, admin.key);
    fs.renameSync(`${keyFile}.new`, keyFile);
    const same = await s.clients.forContext('ctx');
    expect(same).toBe(client);
    const namespaces = await same.request<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    expect(namespaces.body.items.length).toBeGreaterThan(0);
  });
});
