/**
 * The laptop loop from a terminal: `slipway apply FOLDER --context C` goes through the promotion
 * engine against a real API server — diff first, then the apply lands in the history — and
 * `slipway rollback` removes exactly what it created. Pasted YAML is staged as its own bundle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stagePastedYaml } from '../../main/promote/pasted-bundle';
import { requireControlPlane } from '../support/control-plane';
import { startCluster, type TestCluster } from '../support/cluster-harness';
import { tempDir } from '../support/fixtures';
import { inProcessCli } from '../support/in-process-cli';

const enabled = requireControlPlane('slipway apply');

describe.runIf(enabled)('slipway apply to this cluster, with history and rollback', () => {
  const tmp = tempDir('slipway-apply-');
  let cluster: TestCluster;
  const slipway = inProcessCli(() => cluster.kubeconfigPath, tmp.dir);
  const folder = path.join(tmp.dir, 'app');

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: loop }\n');
    fs.writeFileSync(
      path.join(folder, 'app.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings, namespace: loop }\ndata: { lr: "0.001" }\n---\napiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: loop }\nspec: { ports: [ { port: 80 } ], selector: { app: api } }\n',
    );
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('--diff shows what would be created and changes nothing', async () => {
    const diff = await slipway('apply', folder, '--context', cluster.contextName, '--diff');
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/create\s+ConfigMap loop\/settings/);
    expect(await cluster.kubectl(['get', 'ns', 'loop', '--ignore-not-found', '-o', 'name'])).toBe('');
  });

  it('applies the folder, records it, and rollback removes what it created', async () => {
    const applied = await slipway('apply', folder, '--context', cluster.contextName, '--wait', '0', '--json');
    expect(applied.code).toBe(0);
    const result = JSON.parse(applied.stdout) as { id: string; status: string; objects: { outcome: string }[] };
    expect(result.status).toBe('succeeded');
    expect(result.objects.map((o) => o.outcome)).toEqual(['created', 'created', 'created']);
    expect((await cluster.kubectl(['-n', 'loop', 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.lr}'])).trim()).toBe('0.001');
    const history = JSON.parse((await slipway('history', '--json')).stdout) as { promotions: { id: string; target: string; bundle: string }[] };
    expect(history.promotions[0]).toMatchObject({ id: result.id, target: cluster.contextName, bundle: 'app' });

    // Applying the same folder again changes nothing.
    const again = JSON.parse((await slipway('apply', folder, '--context', cluster.contextName, '--wait', '0', '--json')).stdout) as { id: string; objects: { outcome: string }[] };
    expect(again.objects.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    // Newest first, as the history asks: the second apply changed nothing, the first created everything.
    expect((await slipway('rollback', result.id)).stderr).toContain('Roll back the later promotions first');
    expect((await slipway('rollback', again.id)).code).toBe(0);
    expect((await slipway('rollback', result.id)).code).toBe(0);
    await expect.poll(() => cluster.kubectl(['-n', 'loop', 'get', 'configmap', 'settings', '--ignore-not-found', '-o', 'name']), { timeout: 60_000 }).toBe('');
  });

  it('a bare Pod in a namespace the same apply creates lands: the namespace’s ServiceAccount is awaited', async () => {
    const staged = stagePastedYaml(
      path.join(tmp.dir, 'config', 'pasted'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: fresh }\n---\napiVersion: v1\nkind: Pod\nmetadata: { name: once, namespace: fresh }\nspec: { containers: [ { name: c, image: busybox } ] }\n',
    );
    const applied = JSON.parse((await slipway('apply', staged.path, '--context', cluster.contextName, '--wait', '0', '--json')).stdout) as { status: string; objects: { outcome: string; message?: string }[] };
    expect(applied.objects).toEqual([{ ref: expect.objectContaining({ kind: 'Namespace' }), outcome: 'created', uid: expect.any(String) }, expect.objectContaining({ outcome: 'created' })]);
    expect(applied.status).toBe('succeeded');
    expect((await cluster.kubectl(['-n', 'fresh', 'get', 'pod', 'once', '-o', 'name'])).trim()).toBe('pod/once');
  });

  it('needs --context and a path, and says so', async () => {
    const missing = await slipway('apply', folder);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[INVALID_ARGUMENT] apply needs --context.');
    expect((await slipway('apply', '--context', cluster.contextName)).stderr).toContain('Which bundle?');
  });

  it('pasted YAML becomes a bundle of its own that applies like a folder', async () => {
    const staged = stagePastedYaml(path.join(tmp.dir, 'config', 'pasted'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: pasted, namespace: default }\ndata: { a: "1" }\n');
    const applied = JSON.parse((await slipway('apply', staged.path, '--context', cluster.contextName, '--wait', '0', '--json')).stdout) as { status: string };
    expect(applied.status).toBe('succeeded');
    expect((await cluster.kubectl(['get', 'configmap', 'pasted', '-o', 'jsonpath={.data.a}'])).trim()).toBe('1');
  });
});
