import { describe, expect, it } from 'vitest';
import { parseKubeconfig } from './kubeconfig-parse';
import { mergeKubeconfigs } from './kubeconfig-merge';
import { kubeconfigPaths } from './kubeconfig-files';
import { createHash } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { credentialMechanism, execPluginOf, execStanza, refusedCredential } from './exec-consent';
import type { KubeconfigUser } from './kubeconfig-schema';
import { toClientNodeConfig } from './to-client-node';

const fileA = `apiVersion: v1
kind: Config
current-context: a-ctx
clusters:
- name: shared
  cluster:
    server: https://a.example:6443
    certificate-authority: certs/ca.crt
- name: only-a
  cluster:
    server: https://only-a:6443
users:
- name: shared-user
  user:
    token: from-a
contexts:
- name: a-ctx
  context:
    cluster: shared
    user: shared-user
    namespace: team-a
- name: dup
  context:
    cluster: only-a
    user: shared-user
`;

const fileB = `apiVersion: v1
kind: Config
current-context: b-ctx
clusters:
- name: shared
  cluster:
    server: https://b.example:6443
users:
- name: shared-user
  user:
    token: from-b
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, prod]
contexts:
- name: dup
  context:
    cluster: shared
    user: exec-user
- name: b-ctx
  context:
    cluster: shared
    user: exec-user
`;

function parseOk(file: string, text: string) {
  const result = parseKubeconfig(file, text);
  if (!result.ok) throw new Error(result.problem.message);
  return result;
}

describe('parseKubeconfig', () => {
  it('resolves relative certificate paths and exec commands against the file folder', () => {
    const a = parseOk('/home/u/.kube/a.yaml', fileA);
    expect(a.config.clusters![0]!.cluster['certificate-authority']).toBe('/home/u/.kube/certs/ca.crt');
    const b = parseOk('/etc/kube/b.yaml', fileB);
    expect(b.config.users![1]!.user.exec!.command).toBe('/etc/kube/bin/get-token');
  });

  it('keeps a bare exec command for PATH lookup, as kubectl does', () => {
    const b = parseOk('/etc/kube/b.yaml', fileB.replace('./bin/get-token', 'aws'));
    expect(b.config.users![1]!.user.exec!.command).toBe('aws');
  });

  it('reports invalid YAML with the file and line', () => {
    const result = parseKubeconfig('/x/broken.yaml', 'apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: "https://x\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.file).toBe('/x/broken.yaml');
    expect(result.problem.message).toMatch(/invalid YAML/);
    expect(result.problem.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a schema error with the path and the line of the bad field', () => {
    const text = 'apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: 42\n';
    const result = parseKubeconfig('/x/bad.yaml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.message).toContain('clusters.0.cluster.server');
    expect(result.problem.line).toBe(5);
  });

  it('reports an alias bomb as a problem of that file instead of throwing', () => {
    const levels = ['a: &a [x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const result = parseKubeconfig('/x/bomb.yaml', levels.join('\n') + '\n');
    expect(result).toMatchObject({ ok: false, problem: { file: '/x/bomb.yaml', message: expect.stringMatching(/invalid YAML: .*alias/i) } });
  });

  it('treats an empty file as an empty config', () => {
    expect(parseOk('/x/empty', '  \n').config).toEqual({});
  });
});

describe('mergeKubeconfigs', () => {
  it('lets the first file win for every name and for current-context, as kubectl does', () => {
    const merged = mergeKubeconfigs([parseOk('/a', fileA), parseOk('/b', fileB)]);
    expect(merged.currentContext).toBe('a-ctx');
    expect(merged.clusters.get('shared')!.value.server).toBe('https://a.example:6443');
    expect(merged.clusters.get('shared')!.file).toBe('/a');
    expect(merged.users.get('shared-user')!.value.token).toBe('from-a');
    expect(merged.contexts.get('dup')!.value.cluster).toBe('only-a');
    // Entries only the second file has are still merged in.
    expect(merged.users.get('exec-user')!.file).toBe('/b');
    expect([...merged.contexts.keys()]).toEqual(['a-ctx', 'dup', 'b-ctx']);
  });

  it('takes current-context from a later file when the first sets none', () => {
    const merged = mergeKubeconfigs([parseOk('/a', fileA.replace('current-context: a-ctx\n', '')), parseOk('/b', fileB)]);
    expect(merged.currentContext).toBe('b-ctx');
  });
});

describe('kubeconfigPaths', () => {
  it('splits KUBECONFIG on the path delimiter, drops empties and duplicates', () => {
    expect(kubeconfigPaths({ KUBECONFIG: '/a::/b:/a' })).toEqual(['/a', '/b']);
  });
  it('falls back to ~/.kube/config', () => {
    expect(kubeconfigPaths({ HOME: '/home/u' })).toEqual(['/home/u/.kube/config']);
  });
  it('appends extra files from settings', () => {
    expect(kubeconfigPaths({ KUBECONFIG: '/a' }, ['/c'])).toEqual(['/a', '/c']);
  });
});

describe('exec consent keys', () => {
  it('describes exec and auth-provider users, and nothing for plain users', () => {
    const b = parseOk('/b', fileB);
    expect(execPluginOf(b.config.users![1]!.user, '/b')).toEqual({
      kind: 'exec',
      command: '/bin/get-token',
      args: ['--cluster', 'prod'],
      env: [],
      apiVersion: 'client.authentication.k8s.io/v1',
      interactiveMode: null,
      provider: null,
      file: '/b',
      key: expect.stringMatching(/^[a-f0-9]{64}$/),
    });
    expect(execPluginOf({ 'auth-provider': { name: 'oidc', config: { 'cmd-path': '/usr/bin/helper', 'cmd-args': 'config  config-helper' } } }, '/c')).toMatchObject({
      kind: 'auth-provider',
      command: '/usr/bin/helper',
      args: ['config', 'config-helper'],
      provider: 'oidc',
      file: '/c',
    });
    expect(execPluginOf({ token: 'x' }, '/c')).toBeNull();
  });

  const exec = { command: 'aws', args: ['eks', 'get-token'], env: [{ name: 'AWS_PROFILE', value: 'dev' }], apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' };
  const keyOf = (user: KubeconfigUser, file = '/k') => execPluginOf(user, file)!.key;

  it('changes when the file, the command, any argument, env entry, apiVersion or interactiveMode changes', () => {
    const base = keyOf({ exec });
    expect(keyOf({ exec: { ...exec } })).toBe(base);
    const variants: KubeconfigUser[] = [
      { exec: { ...exec, command: 'aws2' } },
      { exec: { ...exec, args: ['eks', 'get-token', '--x'] } },
      // One argument with a space is not two arguments.
      { exec: { ...exec, args: ['eks get-token'] } },
      // The reproduced attack: a PATH (or LD_PRELOAD) entry runs another program under the old consent.
      { exec: { ...exec, env: [...exec.env, { name: 'PATH', value: '/tmp/evil' }] } },
      { exec: { ...exec, env: [...exec.env, { name: 'LD_PRELOAD', value: '/tmp/evil.so' }] } },
      { exec: { ...exec, env: [{ name: 'AWS_PROFILE', value: 'prod' }] } },
      { exec: { ...exec, apiVersion: 'client.authentication.k8s.io/v1beta1' } },
      { exec: { ...exec, interactiveMode: 'Always' } },
    ];
    const keys = variants.map((v) => keyOf(v));
    for (const key of keys) expect(key).not.toBe(base);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keyOf({ exec }, '/other')).not.toBe(base);
  });

  it('keys an auth-provider on its name, cmd-path and cmd-args', () => {
    const provider = (name: string, config: Record<string, string>): KubeconfigUser => ({ 'auth-provider': { name, config } });
    const base = keyOf(provider('oidc', { 'cmd-path': '/bin/h', 'cmd-args': 'a b' }));
    expect(keyOf(provider('oidc2', { 'cmd-path': '/bin/h', 'cmd-args': 'a b' }))).not.toBe(base);
    expect(keyOf(provider('oidc', { 'cmd-path': '/bin/evil', 'cmd-args': 'a b' }))).not.toBe(base);
    expect(keyOf(provider('oidc', { 'cmd-path': '/bin/h', 'cmd-args': 'a b c' }))).not.toBe(base);
    // A refreshed cached token (kubectl writes it back) does not retire the consent.
    expect(keyOf(provider('oidc', { 'cmd-path': '/bin/h', 'cmd-args': 'a b', 'id-token': 'new' }))).toBe(base);
  });

  it('retires consents stored in the old (path, command, args) form', () => {
    const legacy = createHash('sha256').update(JSON.stringify(['/k', 'aws', ['eks', 'get-token']])).digest('hex');
    expect(keyOf({ exec: { command: 'aws', args: ['eks', 'get-token'] } })).not.toBe(legacy);
  });
});

describe('credential mechanisms passed to client-node', () => {
  const both: KubeconfigUser = {
    exec: { command: '/bin/consented', args: ['x'], env: [{ name: 'A', value: '1' }], installHint: 'hint', provideClusterInfo: false, extra: 'passthrough' } as KubeconfigUser['exec'],
    'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/gcloud', 'cmd-args': 'config config-helper' } },
  };
  const user = (u: KubeconfigUser) => toClientNodeConfig('ctx', { cluster: 'c', user: 'u' }, { server: 'https://127.0.0.1:1' }, u, 'u').users[0]!;

  it('with both exec and auth-provider, consent is asked for the exec and the provider is stripped', () => {
    expect(credentialMechanism(both)).toBe('exec');
    expect(execPluginOf(both, '/k')!.kind).toBe('exec');
    const passed = user(both);
    expect(passed.authProvider).toBeUndefined();
    // The exec never reaches client-node either: Slipway runs it under its own deadline
    // (exec-credential.ts), so client-node, given this, attempts nothing at all.
    expect(passed).not.toHaveProperty('exec');
    const kc = new KubeConfig();
    kc.loadFromOptions(toClientNodeConfig('ctx', { cluster: 'c', user: 'u' }, { server: 'https://127.0.0.1:1' }, both, 'u'));
    expect(kc.getCurrentUser()!.authProvider).toBeUndefined();
    expect(kc.getCurrentUser()!.exec).toBeUndefined();
    // What Slipway runs is exactly the fields the consent key covers.
    expect(execStanza(both)).toEqual({ command: '/bin/consented', args: ['x'], env: [{ name: 'A', value: '1' }] });
  });

  it('refuses the gcp and azure providers, whose helpers client-node runs in a blocking shell', () => {
    for (const name of ['gcp', 'azure']) {
      const refusal = refusedCredential({ 'auth-provider': { name, config: { 'cmd-path': '/bin/h' } } }, 'ctx');
      expect(refusal).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(refusal!.message).toContain(`"${name}" auth-provider is not supported`);
      expect(refusal!.fix).toMatch(/exec credential plugin/);
    }
    expect(refusedCredential({ 'auth-provider': { name: 'oidc' } }, 'ctx')).toBeNull();
    // With an exec beside it, the provider is stripped rather than refused.
    expect(refusedCredential(both, 'ctx')).toBeNull();
  });
});
