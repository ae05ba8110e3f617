import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import type { Services } from '../../main/services';
import type { ForwardInfo } from '../../shared/models/port-forward';
import { CONTROL_PLANE_BIN } from '../support/control-plane';
import { captureStream, tempDir, testServices, writeKubeconfig } from '../support/fixtures';
import { spawnCli } from '../support/cli-process';
import { requireRealKindCluster } from '../support/real-docker';
import k8sVersions from '../../scripts/k8s-versions.json';

const setup = requireRealKindCluster('port-forward on a real kind cluster');
const exec = promisify(execFile);
/** Debian's busybox-static, preloaded in the offline node image. */
const BUSYBOX = `docker.io/library/busybox:${k8sVersions.kindNode.busybox}`;

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function get(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/**
 * Port-forward on the real thing: a kind cluster (control plane only) on the private Docker, a
 * Deployment running busybox httpd, a Service with a named target port. Fetches go through
 * Slipway's forward to the real kubelet's port-forward stream; the pod is then deleted and the
 * same forward serves from the Deployment's replacement.
 */
describe.runIf(setup)('port-forward to a real kind cluster', () => {
  const name = `slipway-pf-${process.pid % 100_000}`;
  const context = `kind-${name}`;
  const tmp = tempDir('slipway-pf-kind-');
  fs.mkdirSync(path.join(tmp.dir, 'kube'));
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kube', 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), PATH: setup!.path, DOCKER_HOST: setup!.dockerHost };
  const toolEnv = { ...process.env, ...env };
  let services: Services;
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const kubectl = async (...args: string[]) => (await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', context, ...args], { env: toolEnv, maxBuffer: 16 << 20 })).stdout;
  const nodeContainers = async () => (await exec('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${name}`, '--format', '{{.Names}}'], { env: toolEnv })).stdout.split('\n').filter(Boolean);
  const webPods = async () => (await kubectl('-n', 'it', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}{" "}{end}')).trim().split(' ').filter(Boolean);
  const row = (id: string): ForwardInfo => services.portForward.list().find((f) => f.id === id)!;

  beforeAll(async () => {
    const created = await slipway('cluster', 'create', name, '--provider', 'kind', '--workers', '0', '--image', setup!.image, '--json');
    if (created.code !== 0) throw new Error(`create failed:\n${created.stderr}`);
    services = testServices(env, env.SLIPWAY_CONFIG_DIR);
    const web = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'it' } },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', namespace: 'it' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              spec: {
                terminationGracePeriodSeconds: 1,
                containers: [
                  {
                    name: 'web',
                    image: BUSYBOX,
                    imagePullPolicy: 'Never',
                    command: ['/bin/sh', '-c', 'busybox mkdir -p /www && echo "hello from $(busybox hostname)" > /www/index.html && exec busybox httpd -f -p 8080 -h /www'],
                    ports: [{ name: 'web', containerPort: 8080 }],
                    readinessProbe: { tcpSocket: { port: 'web' }, periodSeconds: 1 },
                  },
                ],
              },
            },
          },
        },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'it' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] } },
      ],
    };
    fs.writeFileSync(path.join(tmp.dir, 'web.json'), JSON.stringify(web));
    await kubectl('apply', '-f', path.join(tmp.dir, 'web.json'));
    await kubectl('-n', 'it', 'rollout', 'status', 'deployment/web', '--timeout=240s');
  }, 900_000);

  afterAll(async () => {
    services?.dispose();
    if ((await nodeContainers().catch(() => [])).length) await slipway('cluster', 'delete', name);
    tmp.cleanup();
  }, 300_000);

  it('serves a file through svc/web, counts the bytes, and keeps serving after the pod is replaced', async () => {
    const forward = await services.portForward.start({ context, namespace: 'it', target: { kind: 'service', name: 'web' }, remotePort: 80, localPort: 0 });
    const [first] = await webPods();
    expect(await get(`${forward.url}/index.html`)).toBe(`hello from ${first}\n`);
    await eventually('byte counts', async () => (row(forward.id).bytesReceived > 0 ? true : undefined), 5_000, 100);
    const after = row(forward.id);
    expect(after).toMatchObject({ pod: first, podPort: 8080 });
    // The request went up, the response (headers and the 'hello' line) came down.
    expect(after.bytesSent).toBeGreaterThan('GET /index.html HTTP/1.1\r\n'.length);
    expect(after.bytesReceived).toBeGreaterThan(`hello from ${first}\n`.length);

    await kubectl('-n', 'it', 'delete', 'pod', first!, '--wait=false');
    const body = await eventually('the replacement pod through the same forward', async () => {
      const text = await get(`${forward.url}/index.html`);
      return text.startsWith('hello from ') && text !== `hello from ${first}\n` ? text : undefined;
    }, 180_000);
    const second = body.trim().slice('hello from '.length);
    expect(second).not.toBe(first);
    expect((await webPods())).toContain(second);
    expect(row(forward.id)).toMatchObject({ pod: second, localPort: forward.localPort });
    services.portForward.stop(forward.id);
  }, 300_000);

  it('a port nothing listens on fails on the forward, which keeps running; a busy local port is refused', async () => {
    const [pod] = await webPods();
    const forward = await services.portForward.start({ context, namespace: 'it', target: { kind: 'pod', name: pod! }, remotePort: 9999, localPort: 0 });
    await expect(get(forward.url)).rejects.toThrow();
    const failed = await eventually('the error on the forward', async () => row(forward.id).lastError, 20_000, 100);
    // The kubelet's own words: the port, and that the connection was refused inside the pod.
    expect(failed.code).toBe('UNAVAILABLE');
    expect(failed.message).toMatch(/9999/);
    expect(failed.message).toMatch(/refused/);
    // Still listening: the next connection is accepted (and fails the same way).
    await expect(get(forward.url)).rejects.toThrow();
    expect(row(forward.id).totalConnections).toBeGreaterThanOrEqual(2);
    expect(services.portForward.list().map((f) => f.id)).toContain(forward.id);

    // A pod's named port, resolved from its spec.
    const named = await services.portForward.start({ context, namespace: 'it', target: { kind: 'pod', name: pod! }, remotePort: 'web', localPort: 0 });
    expect(named).toMatchObject({ pod, podPort: 8080 });
    expect(await get(`${named.url}/index.html`)).toBe(`hello from ${pod}\n`);
    services.portForward.stop(named.id);

    const before = services.portForward.list();
    await expect(services.portForward.start({ context, namespace: 'it', target: { kind: 'service', name: 'web' }, remotePort: 80, localPort: forward.localPort })).rejects.toMatchObject({ code: 'PORT_IN_USE' });
    expect(services.portForward.list()).toEqual(before);
    services.portForward.stop(forward.id);
  }, 120_000);

  it('`slipway port-forward svc/web 0:80` prints the local URL, serves, and stops on SIGTERM', async () => {
    const cli = await spawnCli(['port-forward', 'svc/web', '0:80', '--context', context, '-n', 'it'], { ...toolEnv });
    const { child } = cli;
    try {
      const url = await eventually('the printed URL', async () => /Forwarding (http:\/\/127\.0\.0\.1:\d+) -> svc\/web:80 \(namespace it\)/.exec(cli.output())?.[1], 60_000, 100);
      expect(cli.output()).toContain('Press Ctrl-C to stop.');
      // The previous test replaced a pod: the list may still hold the terminating one, so the
      // answer must come from one of the listed pods, not necessarily the first.
      const body = await get(`${url}/index.html`);
      expect(body).toMatch(/^hello from \S+\n$/);
      expect(await webPods()).toContain(body.slice('hello from '.length).trim());
      child.kill('SIGTERM');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(await refused(Number(new URL(url).port))).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('`slipway port-forward` refuses a Service port that does not exist, and exits', async () => {
    const result = await slipway('port-forward', 'svc/web', '0:8080', '--context', context, '-n', 'it');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[INVALID_ARGUMENT]');
    expect(result.stderr).toContain('Service web has no TCP port 8080.');
    expect(result.stdout).toBe('');
  }, 60_000);
});
