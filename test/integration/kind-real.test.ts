import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../main/cli';
import { clientFromKubeconfig } from '../../main/clusters/kubeconfig-client';
import type { KubeClient } from '../../main/kube/kube-client';
import { openExec } from '../../main/terminal/exec-client';
import { dockerExecArgs, gpuNodeSteps } from '../../main/gpu/node-setup';
import { devicePluginManifests } from '../../main/gpu/manifests';
import { followLogs } from '../../main/terminal/pod-logs';
import type { LogChunk } from '../../shared/models/views-logs';
import { CONTROL_PLANE_BIN } from '../support/control-plane';
import { captureStream, tempDir, writeKubeconfig } from '../support/fixtures';
import { requireRealKindCluster } from '../support/real-docker';
import { queueSampleOnBusybox, REAL_KIND } from '../support/real-kind';
import { until } from '../support/until';
import k8sVersions from '../../scripts/k8s-versions.json';

const setup = requireRealKindCluster('real kind clusters');
const exec = promisify(execFile);
/** Binaries built for the node image (scripts/k8s-build.sh node), the real nvidia-ctk among them. */
const NODE_BIN = path.join(path.dirname(CONTROL_PLANE_BIN), 'node');
/** Debian's busybox-static, which the node image ships as local-path's helper image. */
const BUSYBOX = `docker.io/library/busybox:${k8sVersions.kindNode.busybox}`;

/** A free TCP port on loopback (released again before it is used). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `probe` every `everyMs` until it returns a value, or fails after `timeoutMs` with the last error. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 2_000): Promise<T> {
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

/** A Deployment of busybox running `script` in namespace it, and an HPA on it with `hpa` as its spec. */
function scaledBusybox(name: string, script: string, resources: object, hpa: object) {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'it' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name, image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', script], resources }] } },
        },
      },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'it' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, ...hpa } },
    ],
  };
}

/**
 * The kind path on the real thing: the unmodified kind v0.33 binary, a real Docker daemon (the
 * private test daemon under `npm test`), the offline node image (npm run kind:image). One cluster
 * of a control plane and a worker serves the tests in order, as a user would use it: create,
 * load an image, run it, read its logs, exec into it, autoscale it on real CPU, stop/start, delete.
 */
describe.runIf(setup)('a real kind cluster, driven through the slipway CLI', () => {
  const name = `slipway-it-${process.pid % 100_000}`;
  const context = `kind-${name}`;
  const tmp = tempDir('slipway-kind-real-');
  fs.mkdirSync(path.join(tmp.dir, 'kube'));
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'kube', 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  // A network of its own, so that delete removing it is this suite's doing alone.
  const network = `slipway-it-net-${process.pid % 100_000}`;
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), PATH: setup!.path, DOCKER_HOST: setup!.dockerHost, KIND_EXPERIMENTAL_DOCKER_NETWORK: network };
  const toolEnv = { ...process.env, ...env };
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const kubectl = async (...args: string[]) => (await exec(path.join(CONTROL_PLANE_BIN, 'kubectl'), ['--context', context, ...args], { env: toolEnv, maxBuffer: 16 << 20 })).stdout;
  const docker = async (...args: string[]) => (await exec('docker', args, { env: toolEnv })).stdout;
  const nodeContainers = async () => (await docker('ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${name}`, '--format', '{{.Names}}')).split('\n').filter(Boolean).sort();
  let hostPort: number;
  let client: KubeClient;
  const image = `slipway-test/web:${process.pid}`;

  beforeAll(async () => {
    hostPort = await freePort();
    const created = await slipway('cluster', 'create', name, '--provider', 'kind', '--workers', '1', '--image', setup!.image, '--port', `${hostPort}:30080`, '--json');
    if (created.code !== 0) throw new Error(`create failed:\n${created.stderr}`);
    expect(JSON.parse(created.stdout)).toMatchObject({ contextName: context, cluster: { name, provider: 'kind', nodes: 2, simulated: false } });
    client = clientFromKubeconfig(fs.readFileSync(kubeconfig, 'utf8'), context);
  }, 900_000);

  afterAll(async () => {
    client?.dispose();
    if ((await nodeContainers().catch(() => [])).length) await slipway('cluster', 'delete', name);
    tmp.cleanup();
  }, 300_000);

  it('has two Ready nodes, CoreDNS running, and binds a PVC through local-path', async () => {
    const nodes = (await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type=="Ready")].status} {end}')).trim().split(' ').sort();
    expect(nodes).toEqual([`${name}-control-plane=True`, `${name}-worker=True`]);
    await kubectl('-n', 'kube-system', 'wait', '--for=condition=Ready', 'pod', '-l', 'k8s-app=kube-dns', '--timeout=180s');

    await kubectl('create', 'namespace', 'it');
    // Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
    await until('the default ServiceAccount of namespace it', () => kubectl('-n', 'it', 'get', 'serviceaccount', 'default').then(() => true, () => false), Boolean);
    const claim = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'it' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '16Mi' } } } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'writer', namespace: 'it' },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'w', image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', 'echo kept > /data/file && cat /data/file'], volumeMounts: [{ name: 'd', mountPath: '/data' }] }],
            volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
          },
        },
      ],
    };
    fs.writeFileSync(path.join(tmp.dir, 'claim.json'), JSON.stringify(claim));
    await kubectl('apply', '-f', path.join(tmp.dir, 'claim.json'));
    await kubectl('-n', 'it', 'wait', '--for=jsonpath={.status.phase}=Bound', 'pvc/data', '--timeout=180s');
    await kubectl('-n', 'it', 'wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/writer', '--timeout=180s');
    expect((await kubectl('-n', 'it', 'logs', 'writer')).trim()).toBe('kept');
    expect((await kubectl('get', 'pv', '-o', 'jsonpath={.items[0].spec.storageClassName}')).trim()).toBe('standard');
  }, 400_000);

  it('loads a locally built image with progress; a Deployment of it serves HTTP through the port mapping', async () => {
    const ctx = path.join(tmp.dir, 'web');
    fs.mkdirSync(ctx);
    fs.writeFileSync(path.join(ctx, 'serve.sh'), 'mkdir -p /www\necho "hello from $(busybox hostname)" > /www/index.html\necho "serving on 8080"\n(while busybox sleep 1; do echo "tick $(busybox date +%s)"; done) &\nexec busybox httpd -f -p 8080 -h /www\n');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${BUSYBOX}\nCOPY serve.sh /serve.sh\nCMD ["/bin/sh", "/serve.sh"]\n`);
    await docker('build', '-q', '-t', image, ctx);

    const loaded = await slipway('image', 'load', image, '--cluster', name, '--json');
    expect(loaded.stderr).toMatch(/Loading into 2 nodes/);
    expect(loaded.code).toBe(0);
    const result = JSON.parse(loaded.stdout);
    expect(result).toMatchObject({ image, cluster: name, provider: 'kind' });
    expect([...result.nodes].sort()).toEqual([`${name}-control-plane`, `${name}-worker`]);
    // The image is in the worker's containerd, as kind put it there (not pulled).
    const { stdout: crictl } = await exec('docker', ['exec', `${name}-worker`, 'crictl', 'images', '-o', 'json'], { env: toolEnv });
    expect(JSON.stringify(JSON.parse(crictl).images.map((i: { repoTags: string[] }) => i.repoTags))).toContain(image);

    const web = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'it' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, imagePullPolicy: 'Never', ports: [{ containerPort: 8080 }] }] } } } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'it' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } },
      ],
    };
    fs.writeFileSync(path.join(tmp.dir, 'web.json'), JSON.stringify(web));
    await kubectl('apply', '-f', path.join(tmp.dir, 'web.json'));
    await kubectl('-n', 'it', 'rollout', 'status', 'deployment/web', '--timeout=180s');
    const pod = (await kubectl('-n', 'it', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    // The pod runs on the worker; the port is mapped on the control plane: the answer crossed nodes.
    expect((await kubectl('-n', 'it', 'get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}')).trim()).toBe(`${name}-worker`);
    const body = await eventually('the web pod through the port mapping', async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(5_000) });
      return res.ok ? (await res.text()).trim() : undefined;
    }, 120_000);
    expect(body).toBe(`hello from ${pod}`);
  }, 400_000);

  it('follows the logs of the real container and runs a shell in it', async () => {
    const pod = (await kubectl('-n', 'it', 'get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}')).trim();
    const lines: string[] = [];
    let ended: LogChunk | undefined;
    const follow = followLogs(client, { context, namespace: 'it', pod, container: 'web' }, (chunk) => (chunk.type === 'lines' ? lines.push(...chunk.lines) : (ended = chunk)));
    try {
      await eventually('the first log line', async () => (lines.includes('serving on 8080') ? true : undefined), 60_000, 200);
      // Lines the container writes while we follow arrive as they are written.
      const before = lines.length;
      await eventually('new log lines while following', async () => (lines.slice(before).filter((l) => l.startsWith('tick ')).length >= 2 ? true : undefined), 60_000, 200);
      expect(ended).toBeUndefined();
    } finally {
      follow.dispose();
    }

    const result = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
      let stdout = '';
      openExec(client, { namespace: 'it', pod, container: 'web', command: ['/bin/sh', '-c', 'busybox hostname; cat /www/index.html; echo $((6 * 7)); busybox nslookup web.it.svc.cluster.local'], tty: false }, {
        onOutput: (data, stream) => stream === 'stdout' && (stdout += data),
        onExit: (code) => resolve({ stdout, code }),
      }).catch(reject);
    });
    expect(result.code).toBe(0);
    const [hostname, page, sum, ...dns] = result.stdout.trim().split('\n');
    expect([hostname, page, sum]).toEqual([pod, `hello from ${pod}`, '42']);
    // CoreDNS answered with the Service's cluster IP, as the API server has it.
    const serviceIp = (await kubectl('-n', 'it', 'get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).trim();
    expect(dns.join('\n')).toMatch(new RegExp(`Address:\\s+${serviceIp.replace(/\./g, '\\.')}`));
  }, 200_000);

  it('scales on real CPU load that metrics-server scrapes from the kubelets', async () => {
    const burn = scaledBusybox('burn', 'while :; do :; done', { requests: { cpu: '10m' }, limits: { cpu: '100m' } }, {
      minReplicas: 1,
      maxReplicas: 2,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    fs.writeFileSync(path.join(tmp.dir, 'burn.json'), JSON.stringify(burn));
    await kubectl('apply', '-f', path.join(tmp.dir, 'burn.json'));
    // A limit of 100m on a request of 10m: far above 50 % whenever the loop gets CPU, so the HPA wants 2.
    let hpa;
    try {
      hpa = await eventually('the HPA to scale burn to 2', async () => {
        const json = JSON.parse(await kubectl('-n', 'it', 'get', 'hpa', 'burn', '-o', 'json'));
        return json.status?.desiredReplicas === 2 ? json : undefined;
      }, 480_000, 5_000);
    } catch (error) {
      // Say why: the metrics API, what it reports, and the HPA's own conditions.
      const why = await Promise.all([
        kubectl('get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions}').catch((e) => String(e)),
        kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/it/pods').catch((e) => String(e)),
        kubectl('-n', 'it', 'get', 'hpa', 'burn', '-o', 'jsonpath={.status}').catch((e) => String(e)),
        kubectl('-n', 'kube-system', 'logs', 'deployment/metrics-server', '--tail=20').catch((e) => String(e)),
      ]);
      throw new Error(`${String(error)}\n${why.join('\n---\n')}`);
    }
    expect(hpa.status.currentMetrics[0].resource.current.averageUtilization).toBeGreaterThan(50);
    const events = await kubectl('-n', 'it', 'get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=burn', '-o', 'jsonpath={range .items[*]}{.reason}:{.message}{"\\n"}{end}');
    expect(events).toMatch(/SuccessfulRescale:New size: 2; reason: cpu resource utilization \(percentage of request\) above target/);
    // Slipway's own view of the same cluster shows the HPA with its live CPU figure.
    const status = await slipway('status', '--context', context, '--namespace', 'it', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).hpas).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'burn', namespace: 'it' })]));
    await kubectl('-n', 'it', 'delete', 'deployment/burn', 'hpa/burn', '--wait=false');
  }, 540_000);

  it('scales the demo’s queue sample 1 → 5 → 1 on queue depth, an External metric that Slipway’s metrics adapter serves from inside the cluster', async () => {
    // The adapter's image was built from the binary and loaded into the nodes by `cluster create`.
    const apis = async () => kubectl('get', 'apiservices', 'v1beta2.custom.metrics.k8s.io', 'v1beta1.external.metrics.k8s.io', '-o', 'jsonpath={range .items[*]}{.spec.service.name}={.status.conditions[?(@.type=="Available")].status} {end}');
    try {
      await eventually('the metrics adapter APIs Available', async () => ((await apis()).trim() === 'slipway-metrics-adapter=True slipway-metrics-adapter=True' ? true : undefined), 180_000, 3_000);
    } catch (error) {
      const why = await Promise.all([apis().catch((e) => String(e)), kubectl('-n', 'kube-system', 'get', 'pods', '-l', 'app.kubernetes.io/name=slipway-metrics-adapter', '-o', 'wide').catch((e) => String(e)), kubectl('-n', 'kube-system', 'logs', 'deployment/slipway-metrics-adapter', '--tail=20').catch((e) => String(e))]);
      throw new Error(`${String(error)}\n${why.join('\n---\n')}`);
    }
    // The demo's own sample, as shipped, but for the worker's image (see queueSampleOnBusybox).
    fs.writeFileSync(path.join(tmp.dir, 'queue-worker.json'), queueSampleOnBusybox('it', BUSYBOX));
    await kubectl('apply', '-f', path.join(tmp.dir, 'queue-worker.json'));
    // As in the demo: 50 queued, 10 per worker wanted: ceil(50 / 10) = 5, the sample's maximum.
    const set = await slipway('metrics', 'set', 'queue_depth{queue=inference}=50', '--context', context, '-n', 'it', '--replicas-of', 'deploy/inference-queue');
    expect(set.stderr).toBe('');
    const replicas = async (want: number) => {
      const json = JSON.parse(await kubectl('-n', 'it', 'get', 'hpa', 'inference-queue', '-o', 'json'));
      return json.status?.currentReplicas === want && json.status?.desiredReplicas === want ? json : undefined;
    };
    const hpaStatus = () => kubectl('-n', 'it', 'get', 'hpa', 'inference-queue', '-o', 'jsonpath={.status}').catch((e) => String(e));
    const up = await eventually('the HPA to scale the queue workers to 5', () => replicas(5), 240_000, 3_000).catch(async (error) => {
      throw new Error(`${String(error)}\n${await hpaStatus()}`);
    });
    expect(up.status.currentMetrics[0].external.current.averageValue).toBe('10');
    // The queue drains: back to 1 after the sample's 15 s scale-down window.
    expect((await slipway('metrics', 'set', 'queue_depth{queue=inference}=0', '--context', context, '-n', 'it')).code).toBe(0);
    await eventually('the HPA to scale the queue workers back to 1', () => replicas(1), 240_000, 3_000).catch(async (error) => {
      throw new Error(`${String(error)}\n${await hpaStatus()}`);
    });
    const events = await kubectl('-n', 'it', 'get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=inference-queue', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}');
    expect(events).toMatch(/New size: 5; reason: external metric queue_depth\(.*queue: inference.*\) above target/);
    expect(events).toMatch(/New size: 1; reason: All metrics below target/);
    await kubectl('-n', 'it', 'delete', 'deployment/inference-queue', 'hpa/inference-queue', '--wait=false');
  }, 600_000);

  it('refuses a second cluster of the same name without touching the first', async () => {
    const again = await slipway('cluster', 'create', name, '--provider', 'kind', '--image', setup!.image);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('[ALREADY_EXISTS]');
    expect(await nodeContainers()).toEqual([`${name}-control-plane`, `${name}-worker`]);
  });

  it('stop keeps the cluster and its context; start brings it back serving', async () => {
    const stopped = await slipway('cluster', 'stop', name);
    expect(stopped.code).toBe(0);
    expect((await docker('ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${name}`, '--format', '{{.State}}')).trim().split('\n')).toEqual(['exited', 'exited']);
    const listed = JSON.parse((await slipway('cluster', 'list', '--json')).stdout).clusters;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ name, provider: 'kind', status: 'stopped' })]));

    const started = await slipway('cluster', 'start', name);
    expect(started.code).toBe(0);
    await eventually('both nodes Ready after start', async () => {
      const ready = (await kubectl('get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {end}')).trim();
      return ready === 'True True' ? true : undefined;
    }, 240_000, 3_000);
    await kubectl('-n', 'it', 'rollout', 'status', 'deployment/web', '--timeout=180s');
    const body = await eventually('the web pod after start', async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(5_000) });
      return res.ok ? (await res.text()).trim() : undefined;
    }, 180_000);
    expect(body).toMatch(/^hello from web-/);
    expect(parse(fs.readFileSync(kubeconfig, 'utf8')).contexts.map((c: { name: string }) => c.name)).toContain(context);
  }, 600_000);

  it('the device plugin DaemonSet lands only on labelled nodes, with its default config mounted and parsing', async () => {
    // NVIDIA's plugin image cannot be pulled here and needs a GPU: busybox stands in for its
    // container and prints the file CONFIG_FILE names. Everything else is Slipway's rendered
    // DaemonSet and ConfigMap, except runtimeClassName (no node here has the nvidia runtime).
    await kubectl('label', 'node', `${name}-worker`, 'nvidia.com/gpu.present=true');
    const objects = devicePluginManifests({ sharing: 1 }).map((o) => {
      if (o.kind !== 'DaemonSet') return o;
      const spec = (o as unknown as { spec: { template: { spec: Record<string, any> } } }).spec.template.spec;
      delete spec.runtimeClassName;
      spec.containers[0] = { ...spec.containers[0], image: BUSYBOX, imagePullPolicy: 'Never', command: ['/bin/sh', '-c', 'cat "$CONFIG_FILE" && exec sleep 3600'] };
      return o;
    });
    fs.writeFileSync(path.join(tmp.dir, 'device-plugin.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    await kubectl('apply', '-f', path.join(tmp.dir, 'device-plugin.json'));
    await kubectl('-n', 'kube-system', 'rollout', 'status', 'daemonset/nvidia-device-plugin-daemonset', '--timeout=120s');
    const pods = JSON.parse(await kubectl('-n', 'kube-system', 'get', 'pods', '-l', 'name=nvidia-device-plugin-ds', '-o', 'json')).items;
    expect(pods.map((p: { spec: { nodeName: string } }) => p.spec.nodeName)).toEqual([`${name}-worker`]);
    const config = parse(await kubectl('-n', 'kube-system', 'logs', pods[0].metadata.name));
    expect(config).toEqual({ version: 'v1' });
    await kubectl('-n', 'kube-system', 'delete', 'daemonset/nvidia-device-plugin-daemonset', 'configmap/nvidia-device-plugin-config');
  }, 240_000);

  it('the GPU node steps leave the state nvkind wants inside a real node (fake driver root, real nvidia-ctk)', async () => {
    const node = `${name}-worker`;
    const root = '/run/fake-driver';
    const inNode = async (script: string) => (await exec('docker', ['exec', node, 'sh', '-euc', script], { env: toolEnv })).stdout;
    // What a GPU host leaves in a kind worker: the driver's params under the toolkit hook's own mount
    // of /proc/driver/nvidia, device nodes for four GPUs, one of them bind-mounted in by the hook.
    await inNode(`
      mkdir -p ${root}/proc/driver/nvidia ${root}/dev
      printf 'ModifyDeviceFiles: 1\nDeviceFileUID: 0\n' > ${root}/proc/driver/nvidia/params
      mount -t tmpfs hook ${root}/proc/driver/nvidia
      printf 'ModifyDeviceFiles: 1\nDeviceFileUID: 0\n' > ${root}/proc/driver/nvidia/params
      for i in 0 1 2 3; do mknod ${root}/dev/nvidia$i c 195 $i; done
      mount --bind ${root}/dev/nvidia2 ${root}/dev/nvidia2`);
    await exec('docker', ['cp', path.join(NODE_BIN, 'nvidia-ctk'), `${node}:/usr/local/bin/nvidia-ctk`], { env: toolEnv });

    // The worker was given GPUs with indexes 0 and 2, whose minor numbers here are 1 and 3.
    const steps = gpuNodeSteps([0, 2], [1, 3]);
    const output: string[] = [];
    for (const step of steps) output.push((await exec('docker', dockerExecArgs(node, step, { DRIVER_ROOT: root }), { env: toolEnv })).stdout);
    expect(output.join('')).toContain('nvidia-container-toolkit is already installed');

    // params: ModifyDeviceFiles 0, bound over the file; the hook's tmpfs is gone.
    expect(await inNode(`cat ${root}/proc/driver/nvidia/params`)).toBe('ModifyDeviceFiles: 0\nDeviceFileUID: 0\n');
    const mounts = await inNode(`awk '{ for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1); break } }' /proc/self/mountinfo | grep '^${root}' || true`);
    expect(mounts.trim().split('\n').sort()).toEqual([`${root}/proc/driver/nvidia/params tmpfs`]);
    // Only the assigned device nodes are left (by minor number), the bind-mounted one unmounted first.
    expect((await inNode(`ls ${root}/dev`)).trim().split('\n')).toEqual(['nvidia1', 'nvidia3']);
    // containerd's config edited by the real nvidia-ctk (a drop-in that config.toml now imports),
    // containerd restarted: the config it runs with has the nvidia runtime as its default.
    expect(await inNode('cat /etc/containerd/config.toml')).toMatch(/^imports = \[.*"\/etc\/containerd\/conf\.d\/\*\.toml".*\]/m);
    const effective = await inNode('containerd config dump');
    expect(effective).toMatch(/\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.nvidia\]/);
    expect(effective).toMatch(/default_runtime_name = "nvidia"/);
    expect((await inNode('systemctl is-active containerd')).trim()).toBe('active');
    expect(await inNode('crictl info >/dev/null && echo healthy')).toBe('healthy\n');
  }, 240_000);

  it('delete removes the node containers, the network kind made for it and the context, and leaves other contexts alone', async () => {
    expect((await docker('network', 'ls', '--format', '{{.Name}}')).split('\n')).toContain(network);
    const deleted = await slipway('cluster', 'delete', name);
    expect(deleted.code).toBe(0);
    expect(await nodeContainers()).toEqual([]);
    expect((await docker('network', 'ls', '--format', '{{.Name}}')).split('\n')).not.toContain(network);
    const contexts = parse(fs.readFileSync(kubeconfig, 'utf8')).contexts.map((c: { name: string }) => c.name);
    expect(contexts).not.toContain(context);
    expect(contexts).toContain('prod');
  }, 300_000);
});

/** Creations that must fail before or while kind runs, and leave nothing behind. */
describe.runIf(setup)('real kind: failed creations clean up and say why', () => {
  const tmp = tempDir('slipway-kind-fail-');
  const kubeconfig = writeKubeconfig(path.join(tmp.dir, 'config'), [{ name: 'prod', server: 'https://prod.example:6443' }]);
  // A network the user made before: kind joins it, and a failed create must leave it in place.
  const network = `slipway-it-users-${process.pid % 100_000}`;
  const env = { HOME: tmp.dir, KUBECONFIG: kubeconfig, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'slipway'), PATH: setup!.path, DOCKER_HOST: setup!.dockerHost, KIND_EXPERIMENTAL_DOCKER_NETWORK: network };
  const dockerOut = async (...args: string[]) => (await exec('docker', args, { env: { ...process.env, ...env } })).stdout;
  beforeAll(async () => {
    await dockerOut('network', 'create', network);
  });
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const containersOf = async (cluster: string) =>
    (await exec('docker', ['ps', '-a', '--filter', `label=io.x-k8s.kind.cluster=${cluster}`, '--format', '{{.Names}}'], { env: { ...process.env, ...env } })).stdout.trim();
  afterAll(async () => {
    await dockerOut('network', 'rm', network).catch(() => undefined);
    tmp.cleanup();
  });

  it('a taken host port is refused before anything is created', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const result = await slipway('cluster', 'create', 'busy-port', '--provider', 'kind', '--image', setup!.image, '--port', `${port}:80`);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`\\[PORT_IN_USE\\].*${port}`));
      expect(await containersOf('busy-port')).toBe('');
    } finally {
      holder.close();
    }
  });

  it('an offline node image that was never built names the command that builds it', async () => {
    const result = await slipway('cluster', 'create', 'no-image', '--provider', 'kind', '--image', 'slipway/kind-node:v0.0.0-missing');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[NOT_FOUND] The node image slipway/kind-node:v0.0.0-missing is not in Docker');
    expect(result.stderr).toContain('npm run kind:image');
    expect(await containersOf('no-image')).toBe('');
  });

  it('Docker not running: DOCKER_UNAVAILABLE with the client’s own words, before kind runs', async () => {
    const down = { ...env, DOCKER_HOST: `unix://${path.join(tmp.dir, 'no-docker.sock')}` };
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(['cluster', 'create', 'no-docker', '--provider', 'kind', '--image', setup!.image], { stdout, stderr, env: down });
    expect(code).toBe(1);
    expect(stderr.text()).toContain('[DOCKER_UNAVAILABLE] Docker is not running');
    expect(stderr.text()).toContain('Cannot connect to the Docker daemon');
    expect(stderr.text()).toContain('Start Docker');
    expect(await containersOf('no-docker')).toBe('');
  });

  it('--keep-on-failure keeps what kind made, and says how to delete it', async () => {
    const result = await slipway('cluster', 'create', 'kept', '--provider', 'kind', '--image', BUSYBOX, '--workers', '0', '--keep-on-failure');
    try {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('[TOOL_FAILED]');
      expect(result.stderr).not.toMatch(/deleting the half-created cluster/);
      expect(await containersOf('kept')).toBe('kept-control-plane');
    } finally {
      await exec(REAL_KIND, ['delete', 'cluster', '--name', 'kept', '--kubeconfig', kubeconfig], { env: { ...process.env, ...env } });
    }
  }, 300_000);

  it('an image that is no kind node image fails in kind, with kind’s last lines, and is deleted', async () => {
    const result = await slipway('cluster', 'create', 'bad-image', '--provider', 'kind', '--image', BUSYBOX);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[TOOL_FAILED]');
    // kind's own words (ANSI-free) reach the user, and the half-made cluster is gone.
    expect(result.stderr).not.toContain('\u001b[');
    expect(result.stderr).toMatch(/kind create cluster/);
    expect(result.stderr).toMatch(/Cleaning up|deleting the half-created cluster/);
    expect(await containersOf('bad-image')).toBe('');
    expect(parse(fs.readFileSync(kubeconfig, 'utf8')).contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    // The network existed before: not Slipway's, so it stays.
    expect((await dockerOut('network', 'ls', '--format', '{{.Name}}')).split('\n')).toContain(network);
  }, 300_000);
});
