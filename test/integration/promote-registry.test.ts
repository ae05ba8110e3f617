import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli';
import { checkRegistryImages } from '../../main/promote/image-registry-checks';
import { AppError } from '../../shared/errors';
import type { PlanResult } from '../../shared/models/promote';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { requireControlPlane } from '../support/control-plane';
import { captureStream, closedPort, startBlackhole, tempDir, testServices } from '../support/fixtures';
import { requireRealDocker } from '../support/real-docker';
import { requireRegistry, startRegistry, type TestRegistry } from '../support/real-registry';

const withRegistry = requireRegistry('promotion registry check');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The registry API of a real docker-registry: anonymous, behind basic auth, down, or hanging. */
describe.runIf(withRegistry)('preflight asks the target registry', () => {
  const tmp = tempDir('slipway-registry-check-');
  let open: TestRegistry;
  let locked: TestRegistry;
  let tokened: TestRegistry;
  const config = (name: string, content: object) => {
    const file = path.join(tmp.dir, name, 'config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const noConfig = () => path.join(tmp.dir, 'none', 'config.json');

  beforeAll(async () => {
    [open, locked, tokened] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token' })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), locked?.stop(), tokened?.stop()]);
    tmp.cleanup();
  });

  it('missing → fail naming --push; by tag → warn naming the registry’s digest; by digest → ok', async () => {
    const digest = await open.upload('ml/train', '1');
    const [missing, tagged, pinned, otherDigest] = await checkRegistryImages(
      [
        { source: 'localhost:5001/ml/gone:1', target: `${open.host}/ml/gone:1` },
        { source: 'localhost:5001/ml/train:1', target: `${open.host}/ml/train:1` },
        { source: 'localhost:5001/ml/train:1', target: `${open.host}/ml/train:1@${digest}` },
        { source: 'localhost:5001/ml/train:1', target: `${open.host}/ml/train@sha256:${'0'.repeat(64)}` },
      ],
      { dockerConfig: noConfig() },
    );
    expect(missing).toMatchObject({ status: 'fail', reason: expect.stringMatching(new RegExp(`${open.host}/ml/gone:1 is not in ${open.host} .*--push`)) });
    expect(tagged).toMatchObject({ status: 'warn', reason: expect.stringContaining(`pin ${open.host}/ml/train:1@${digest}`) });
    expect(pinned).toMatchObject({ status: 'ok', reason: expect.stringContaining('pinned by digest') });
    expect(otherDigest!.status).toBe('fail');
  });

  it('basic auth: credentials from DOCKER_CONFIG auths find the image; none, a helper, or a wrong password say so', async () => {
    const digest = await locked.upload('ml/secret', '2');
    const rewrite = [{ source: 'localhost:5001/ml/secret:2', target: `${locked.host}/ml/secret:2` }];
    const { username, password } = locked.credentials!;
    const found = await checkRegistryImages(rewrite, { dockerConfig: config('good', { auths: { [`http://${locked.host}`]: { auth: b64(`${username}:${password}`) } } }) });
    expect(found[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining(`is in ${locked.host} (rewritten from localhost:5001/ml/secret:2) as ${digest}`) });

    const anonymous = await checkRegistryImages(rewrite, { dockerConfig: noConfig() });
    expect(anonymous[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining(`${noConfig()} has no credentials for ${locked.host} (\`docker login ${locked.host}\` adds them)`) });

    const helper = await checkRegistryImages(rewrite, { dockerConfig: config('helper', { credsStore: 'secretservice' }) });
    expect(helper[0]!.reason).toContain('in the credential helper docker-credential-secretservice, a program Slipway does not run; they were not used');

    const wrong = config('wrong', { auths: { [locked.host]: { username, password: 'nope' } } });
    const refused = await checkRegistryImages(rewrite, { dockerConfig: wrong });
    expect(refused[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining(`refused the credentials from ${wrong}`) });
  });

  it('Bearer: a token from the realm the registry names, with the Docker config’s credentials; anonymous tokens grant nothing', async () => {
    const digest = await tokened.upload('ml/tok', '3');
    const rewrite = [{ source: 'localhost:5001/ml/tok:3', target: `${tokened.host}/ml/tok:3` }];
    const { username, password } = tokened.credentials!;
    const found = await checkRegistryImages(rewrite, { dockerConfig: config('tok-good', { auths: { [tokened.host]: { username, password } } }) });
    expect(found[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining(`as ${digest}`) });
    const missing = await checkRegistryImages([{ source: 'localhost:5001/ml/tok:4', target: `${tokened.host}/ml/tok:4` }], { dockerConfig: config('tok-good', { auths: { [tokened.host]: { username, password } } }) });
    expect(missing[0]!.status).toBe('fail');
    const anonymous = await checkRegistryImages(rewrite, { dockerConfig: noConfig() });
    expect(anonymous[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining(`has no credentials for ${tokened.host}`) });
    const wrong = await checkRegistryImages(rewrite, { dockerConfig: config('tok-wrong', { auths: { [tokened.host]: { username, password: 'nope' } } }) });
    expect(wrong[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining('the token service answered 401') });
  });

  it('a registry that is down or does not answer is a warning, not a failure or a hang', async () => {
    const port = await closedPort();
    const down = await checkRegistryImages([{ source: 'localhost:5001/a:1', target: `127.0.0.1:${port}/a:1` }], { dockerConfig: noConfig() });
    expect(down[0]).toMatchObject({ status: 'warn', reason: expect.stringMatching(new RegExp(`Could not reach 127.0.0.1:${port} .*ECONNREFUSED`)) });
    const hole = await startBlackhole();
    try {
      const started = Date.now();
      const hung = await checkRegistryImages([{ source: 'localhost:5001/a:1', target: `127.0.0.1:${hole.port}/a:1` }], { dockerConfig: noConfig(), timeoutMs: 1_000 });
      expect(hung[0]).toMatchObject({ status: 'warn', reason: expect.stringContaining('no answer within 1 s') });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await hole.close();
    }
  });

  it('cancelling stops the check with CANCELLED', async () => {
    const hole = await startBlackhole();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      await expect(checkRegistryImages([{ source: 'localhost:5001/a:1', target: `127.0.0.1:${hole.port}/a:1` }], { dockerConfig: noConfig(), signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await hole.close();
    }
  });
});

const dockerHost = withRegistry ? requireRealDocker('slipway promote --push') : null;
const withCluster = dockerHost ? requireControlPlane('slipway promote --push') : false;

/**
 * The user's path: a bundle whose image exists only in the laptop's Docker under a local registry
 * name, a profile that rewrites it to the target registry; plan fails, `--push` pushes it with the
 * real Docker, and the next plan finds it by the digest Docker printed.
 */
describe.runIf(Boolean(dockerHost) && withCluster)('slipway promote --push with the real Docker', () => {
  const tmp = tempDir('slipway-push-');
  const name = `slipway-push-${randomBytes(4).toString('hex')}`;
  const source = `localhost:5001/ml/${name}:1`;
  let registry: TestRegistry;
  let cluster: TestCluster;
  let env: NodeJS.ProcessEnv;
  const docker = (...args: string[]) => spawnSync('docker', args, { env: { ...process.env, DOCKER_HOST: dockerHost! }, encoding: 'utf8', timeout: 60_000 });
  const bundle = path.join(tmp.dir, 'bundle');
  const profile = path.join(tmp.dir, 'profile.yaml');
  const slipway = async (...argv: string[]) => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
  const imageCheck = (plan: PlanResult) => plan.checks.find((c) => c.id === `image:${registry.host}/ml/${name}:1` || c.id.startsWith(`image:${registry.host}/ml/${name}:1@`));

  beforeAll(async () => {
    [registry, cluster] = await Promise.all([startRegistry(), startCluster()]);
    // A one-file image made here (no registry is reachable to pull from), under a local registry's name.
    const root = path.join(tmp.dir, 'rootfs');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'hello.txt'), `hello from ${name}\n`);
    const tar = spawnSync('tar', ['-C', root, '-cf', '-', '.']);
    const imported = spawnSync('docker', ['import', '-', source], { env: { ...process.env, DOCKER_HOST: dockerHost! }, input: tar.stdout, encoding: 'utf8' });
    if (imported.status !== 0) throw new Error(`docker import: ${imported.stderr}`);
    fs.mkdirSync(bundle);
    fs.writeFileSync(
      path.join(bundle, 'job.yaml'),
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: train, namespace: default}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - {name: train, image: ${source}}\n`,
    );
    fs.writeFileSync(profile, `name: to-registry\nimages:\n  rewrites:\n    - {from: "localhost:5001/", to: "${registry.host}/"}\n`);
    // The user's Docker config: empty, so the check runs anonymously against the open registry.
    fs.mkdirSync(path.join(tmp.dir, 'docker'));
    env = { HOME: tmp.dir, KUBECONFIG: cluster.kubeconfigPath, SLIPWAY_CONFIG_DIR: path.join(tmp.dir, 'config'), PATH: process.env.PATH, DOCKER_HOST: dockerHost!, DOCKER_CONFIG: path.join(tmp.dir, 'docker') };
  });

  afterAll(async () => {
    docker('image', 'rm', '-f', source, `${registry?.host}/ml/${name}:1`);
    await Promise.all([registry?.stop(), cluster?.stop()]);
    tmp.cleanup();
  });

  it('plan fails on the missing image; --push pushes it with progress; the next plan warns with the digest Docker printed', async () => {
    const before = await slipway('promote', bundle, '--to', cluster.contextName, '--profile', profile, '--json');
    expect(before.code).toBe(1);
    const missing = imageCheck(JSON.parse(before.stdout) as PlanResult);
    expect(missing).toMatchObject({ status: 'fail', reason: expect.stringContaining('--push'), push: { source, target: `${registry.host}/ml/${name}:1` } });

    const pushed = await slipway('promote', bundle, '--to', cluster.contextName, '--profile', profile, '--push', '--json');
    expect(pushed.stderr).toBe('');
    const plan = JSON.parse(pushed.stdout) as PlanResult;
    expect(pushed.code, pushed.stdout).toBe(0);
    const check = imageCheck(plan)!;
    expect(check.status).toBe('warn');
    const digest = /as (sha256:[a-f0-9]{64})/.exec(check.reason)?.[1];
    expect(digest).toBeDefined();
    // The registry's own answer, asked here without Slipway.
    const head = await fetch(`${registry.url}/v2/ml/${name}/manifests/1`, { method: 'HEAD', headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
    expect(head.headers.get('docker-content-digest')).toBe(digest);
    // Docker's own record of what it pushed.
    const repoDigests = docker('image', 'inspect', `${registry.host}/ml/${name}:1`, '--format', '{{json .RepoDigests}}').stdout;
    expect(JSON.parse(repoDigests)).toContain(`${registry.host}/ml/${name}@${digest}`);

    // Without --json: the push's own lines as progress, and what was pushed.
    const again = await slipway('promote', bundle, '--to', cluster.contextName, '--profile', profile, '--push');
    expect(again.stderr).toMatch(/Pushing .* — The push refers to repository/);
    expect(again.stderr).toContain(`pushed ${source} → ${registry.host}/ml/${name}:1 (${digest})`);
    expect(again.stderr).not.toContain('\u001b[');

    // Pinned as the warning says: ok.
    fs.appendFileSync(profile, `  digests:\n    "${registry.host}/ml/${name}:1": ${digest}\n`);
    const pinned = await slipway('promote', bundle, '--to', cluster.contextName, '--profile', profile, '--json');
    expect(imageCheck(JSON.parse(pinned.stdout) as PlanResult)).toMatchObject({ id: `image:${registry.host}/ml/${name}:1@${digest}`, status: 'ok' });
  });

  it('a source missing locally is NOT_FOUND before anything is pushed; a push that fails carries Docker’s words; cancel stops a push', async () => {
    const services = testServices(env, path.join(tmp.dir, 'config2'));
    const ghostBundle = path.join(tmp.dir, 'ghost');
    fs.mkdirSync(ghostBundle);
    fs.writeFileSync(path.join(ghostBundle, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: "localhost:5001/ml/${name}-ghost:1"}]\n`);
    const io = { progress() {}, signal: new AbortController().signal };
    await expect(services.promote.pushImages({ bundle: ghostBundle, target: cluster.contextName, profile }, io)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`localhost:5001/ml/${name}-ghost:1 is not in the local Docker image store`) });

    const port = await closedPort();
    const downProfile = path.join(tmp.dir, 'down.yaml');
    fs.writeFileSync(downProfile, `name: down\nimages:\n  rewrites:\n    - {from: "localhost:5001/", to: "127.0.0.2:${port}/"}\n`);
    const failed = await services.promote.pushImages({ bundle, target: cluster.contextName, profile: downProfile }, io).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/docker push 127\.0\.0\.2:\d+\/ml\/\S+ failed \(exit code 1\)\.\n[\s\S]*(connect|refused)/) });
    docker('image', 'rm', `127.0.0.2:${port}/ml/${name}:1`);

    // A profile that rewrites nothing away from a local registry: nothing to push, said so.
    const none = path.join(tmp.dir, 'none.yaml');
    fs.writeFileSync(none, 'name: none\n');
    await expect(services.promote.pushImages({ bundle, target: cluster.contextName, profile: none }, io)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('Nothing to push') });

    // A registry that accepts connections and never answers: the push hangs until cancelled.
    const sockets = new Set<net.Socket>();
    const hole = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => hole.listen(0, '127.0.0.2', resolve));
    const holePort = (hole.address() as net.AddressInfo).port;
    const holeProfile = path.join(tmp.dir, 'hole.yaml');
    fs.writeFileSync(holeProfile, `name: hole\nimages:\n  rewrites:\n    - {from: "localhost:5001/", to: "127.0.0.2:${holePort}/"}\n`);
    const controller = new AbortController();
    const lines: string[] = [];
    const cancelled = services.promote.pushImages({ bundle, target: cluster.contextName, profile: holeProfile }, { progress: (u) => lines.push(u.message ?? ''), signal: controller.signal });
    setTimeout(() => controller.abort(), 3_000);
    const started = Date.now();
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(lines).toContain(`docker tag ${source} 127.0.0.2:${holePort}/ml/${name}:1`);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => hole.close(() => resolve()));
    docker('image', 'rm', `127.0.0.2:${holePort}/ml/${name}:1`);
    docker('image', 'rm', `127.0.0.2:${port}/ml/${name}:1`);
  });
});
