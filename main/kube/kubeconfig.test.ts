import { describe, expect, it } from 'vitest';
import { parseKubeconfig } from './kubeconfig-parse';
import { mergeKubeconfigs } from './kubeconfig-merge';
import { kubeconfigPaths } from './kubeconfig-files';
import { consentKey, execPluginOf } from './exec-consent';

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
    expect(execPluginOf(b.config.users![1]!.user, '/b')).toEqual({ kind: 'exec', command: '/bin/get-token', args: ['--cluster', 'prod'], file: '/b' });
    expect(execPluginOf({ 'auth-provider': { name: 'gcp', config: { 'cmd-path': '/usr/bin/gcloud', 'cmd-args': 'config config-helper' } } }, '/c')).toEqual({
      kind: 'auth-provider',
      command: '/usr/bin/gcloud',
      args: ['config', 'config-helper'],
      file: '/c',
    });
    expect(execPluginOf({ token: 'x' }, '/c')).toBeNull();
  });

  it('changes when the file, the command or any argument changes', () => {
    const base = consentKey('/k', 'aws', ['eks', 'get-token']);
    expect(base).toMatch(/^[a-f0-9]{64}$/);
    expect(consentKey('/k', 'aws', ['eks', 'get-token'])).toBe(base);
    expect(consentKey('/other', 'aws', ['eks', 'get-token'])).not.toBe(base);
    expect(consentKey('/k', 'aws2', ['eks', 'get-token'])).not.toBe(base);
    expect(consentKey('/k', 'aws', ['eks', 'get-token', '--x'])).not.toBe(base);
    expect(consentKey('/k', 'aws', ['eks get-token'])).not.toBe(base);
  });
});
