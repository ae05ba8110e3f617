import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../main/services';
import type { ForwardInfo } from '../../shared/models/port-forward';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { requireControlPlane } from '../support/control-plane';
import { captureStream, tempDir, testServices } from '../support/fixtures';
import { runCli } from '../../main/cli';
import { spawnCli } from '../support/cli-process';

const enabled = requireControlPlane('port-forward checks against a real API server');

/** Resolves once a TCP connect to 127.0.0.1:port succeeds (true) or is refused (false). */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Opens a connection and waits for the forward to close it (the pod side failed). */
function connectUntilClosed(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    socket.setTimeout(20_000, () => reject(new Error('the forward kept a failed connection open')));
  });
}

async function waitFor(services: Services, what: string, test: (list: ForwardInfo[]) => boolean): Promise<ForwardInfo[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(services.portForward.list())}`));
    }, 20_000);
    const sub = services.portForward.onDidChange((list) => {
      if (!test(list)) return;
      clearTimeout(timer);
      queueMicrotask(() => sub.dispose());
      resolve(list);
    });
  });
}

/**
 * What a forward checks before it listens, and how it reports a failing connection, against a
 * real kube-apiserver (no kubelets: pods here are API objects whose status the test sets, so
 * the API server refuses the upgrade at once — "does not have a host assigned" — and no test
 * traffic leaves loopback). The full data path runs on a real kind cluster (port-forward-kind).
 */
describe.runIf(enabled)('port-forward service against a real API server', () => {
  let cluster: TestCluster;
  let services: Services;
  const tmp = tempDir('slipway-pf-');
  const ns = 'pf';
  async function makeReady(name: string) {
    await cluster.kubectl(['-n', ns, 'patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } })]);
  }
  const pod = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'busybox', ports: [{ name: 'web', containerPort: 8080 }] }] },
  });

  beforeAll(async () => {
    cluster = await startCluster();
    services = testServices({ KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, PATH: process.env.PATH }, path.join(tmp.dir, 'config'));
    await cluster.createNamespace(ns);
    await cluster.apply(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [pod('web-a'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] } }],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    services?.dispose();
    await cluster?.stop();
    tmp.cleanup();
  });

  it('refuses what does not exist, with a code and a fix, and leaves nothing listening', async () => {
    const context = cluster.contextName;
    await expect(services.portForward.start({ context, namespace: ns, target: { kind: 'service', name: 'nope' }, remotePort: 80, localPort: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Service nope was not found in namespace ${ns}.` });
    await expect(services.portForward.start({ context, namespace: ns, target: { kind: 'pod', name: 'nope' }, remotePort: 80, localPort: 0 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: `Pod nope was not found in namespace ${ns}.` });
    await expect(services.portForward.start({ context, namespace: ns, target: { kind: 'service', name: 'web' }, remotePort: 8080, localPort: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: 'Service web has no TCP port 8080.', fix: 'Its ports: 80 (http).' });
    await expect(services.portForward.start({ context, namespace: ns, target: { kind: 'pod', name: 'web-a' }, remotePort: 'grpc', localPort: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', fix: 'Its named ports: web=8080.' });

    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const busyPort = (busy.address() as net.AddressInfo).port;
    try {
      await expect(services.portForward.start({ context, namespace: ns, target: { kind: 'service', name: 'web' }, remotePort: 80, localPort: busyPort })).rejects.toMatchObject({ code: 'PORT_IN_USE', message: `Local port ${busyPort} on 127.0.0.1 is in use.` });
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    expect(services.portForward.list()).toEqual([]);
  });

  it('reports a failing connection on the forward, keeps listening, and follows the Service to a new pod', async () => {
    const context = cluster.contextName;
    const forward = await services.portForward.start({ context, namespace: ns, target: { kind: 'service', name: 'web' }, remotePort: 'http', localPort: 0 });
    expect(forward).toMatchObject({ url: `http://127.0.0.1:${forward.localPort}`, openConnections: 0, totalConnections: 0 });
    expect(forward.localPort).toBeGreaterThan(0);
    expect(services.portForward.isActiveForwardUrl(forward.url)).toBe(true);

    // No ready pod yet: the connection closes and the forward says why.
    await connectUntilClosed(forward.localPort);
    let [row] = await waitFor(services, 'the no-ready-pod error', (list) => list[0]?.lastError?.code === 'UNAVAILABLE');
    expect(row!.lastError!.message).toBe('No ready pod behind Service web right now.');

    // A ready pod (named target port resolved on it); the API server refuses the upgrade.
    await makeReady('web-a');
    await connectUntilClosed(forward.localPort);
    [row] = await waitFor(services, 'web-a resolved', (list) => list[0]?.pod === 'web-a' && list[0].lastError?.code === 'KUBE_API_ERROR');
    expect(row).toMatchObject({ pod: 'web-a', podPort: 8080, totalConnections: 2 });
    expect(row!.lastError!.message).toMatch(/port-forward to web-a:8080 refused \(400\).*host/);

    // The pod is replaced: the next connection goes to the new one.
    await cluster.kubectl(['-n', ns, 'delete', 'pod', 'web-a', '--wait=true']);
    await cluster.apply(JSON.stringify(pod('web-b')));
    await makeReady('web-b');
    await connectUntilClosed(forward.localPort);
    [row] = await waitFor(services, 'web-b resolved', (list) => list[0]?.pod === 'web-b');
    expect(row).toMatchObject({ pod: 'web-b', podPort: 8080, totalConnections: 3, openConnections: 0 });
    expect(await connects(forward.localPort)).toBe(true);

    services.portForward.stop(forward.id);
    expect(services.portForward.list()).toEqual([]);
    expect(services.portForward.isActiveForwardUrl(forward.url)).toBe(false);
    expect(await connects(forward.localPort)).toBe(false);
    expect(() => services.portForward.stop(forward.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  }, 60_000);

  it('stops every forward when the services are disposed (the app quitting)', async () => {
    const context = cluster.contextName;
    const own = testServices({ KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, PATH: process.env.PATH }, path.join(tmp.dir, 'config2'));
    const a = await own.portForward.start({ context, namespace: ns, target: { kind: 'pod', name: 'web-b' }, remotePort: 8080, localPort: 0 });
    const b = await own.portForward.start({ context, namespace: ns, target: { kind: 'service', name: 'web' }, remotePort: 80, localPort: 0 });
    expect(own.portForward.list().map((f) => f.id)).toEqual([b.id, a.id]);
    expect([await connects(a.localPort), await connects(b.localPort)]).toEqual([true, true]);
    own.dispose();
    expect([await connects(a.localPort), await connects(b.localPort)]).toEqual([false, false]);
  });

  it('the CLI prints the URL, reports a failing connection on stderr, and stops when interrupted', async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const abort = new AbortController();
    const env = { KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, PATH: process.env.PATH, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config-cli') };
    const running = runCli(['port-forward', 'svc/web', '0:http', ':80', '--context', cluster.contextName, '-n', ns], { stdout, stderr, env, signal: abort.signal });
    const deadline = Date.now() + 20_000;
    while (!stdout.text().includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const urls = [...stdout.text().matchAll(/Forwarding (http:\/\/127\.0\.0\.1:(\d+)) -> svc\/web:(http|80) \(namespace pf\)/g)];
    expect(urls.map((m) => m[3])).toEqual(['http', '80']);
    const port = Number(urls[0]![2]);
    await connectUntilClosed(port);
    while (!stderr.text().includes(`http://127.0.0.1:${port}: [KUBE_API_ERROR]`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(stderr.text()).toContain('does not have a host assigned');
    abort.abort();
    expect(await running).toBe(0);
    for (const m of urls) expect(await connects(Number(m[2]))).toBe(false);
  }, 60_000);

  it('the CLI as a process: SIGTERM stops the forwards and exits 0', async () => {
    const env = { KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, PATH: process.env.PATH, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config-proc') };
    const argv = ['port-forward', 'svc/web', '0:80', '--context', cluster.contextName, '-n', ns];
    const cli = await spawnCli(argv, env);
    const deadline = Date.now() + 30_000;
    while (!cli.output().includes('Press Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const port = Number(/Forwarding http:\/\/127\.0\.0\.1:(\d+) -> svc\/web:80/.exec(cli.output())?.[1]);
    expect(port, cli.output()).toBeGreaterThan(0);
    expect(await connects(port)).toBe(true);
    // One SIGTERM: a clean stop. (A dependency that re-raised the signal once made this exit 130.)
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(await connects(port)).toBe(false);
  }, 90_000);

  it('the CLI refuses bad input before anything listens', async () => {
    const env = { KUBECONFIG: cluster.kubeconfigPath, HOME: tmp.dir, PATH: process.env.PATH, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config-cli') };
    const run = async (...argv: string[]) => {
      const stdout = captureStream();
      const stderr = captureStream();
      const code = await runCli(argv, { stdout, stderr, env });
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    };
    const ctx = ['--context', cluster.contextName, '-n', ns];
    expect(await run('port-forward', 'svc/web', '0:8080', ...ctx)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('[INVALID_ARGUMENT] Service web has no TCP port 8080. — Its ports: 80 (http).') });
    expect(await run('port-forward', 'svc/gone', '0:80', ...ctx)).toMatchObject({ code: 1, stderr: expect.stringContaining('[NOT_FOUND] Service gone was not found in namespace pf.') });
    expect(await run('port-forward', 'svc/web', '0:80:1', ...ctx)).toMatchObject({ code: 2, stderr: expect.stringContaining('[INVALID_ARGUMENT]') });
  });
});
