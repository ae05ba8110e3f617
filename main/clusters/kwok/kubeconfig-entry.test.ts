import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withoutEntries, withServerPort } from './kubeconfig-entry';

const text = `# my clusters
apiVersion: v1
kind: Config
current-context: kwok-demo
clusters:
- name: prod
  cluster: {server: https://prod}
- name: kwok-demo
  cluster: {server: https://127.0.0.1:32764}
users:
- name: prod
  user: {token: t}
- name: kwok-demo
  user: {client-certificate: /x/admin.crt}
contexts:
- name: prod
  context: {cluster: prod, user: prod}
- name: kwok-demo
  context: {cluster: kwok-demo, user: kwok-demo}
`;

describe('removing a cluster from a kubeconfig', () => {
  it('removes only its cluster, user and context, and the current-context pointing at it', () => {
    const next = withoutEntries(text, 'kwok-demo')!;
    const config = parse(next);
    expect(config.clusters.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.users.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config.contexts.map((c: { name: string }) => c.name)).toEqual(['prod']);
    expect(config['current-context']).toBe('');
    expect(next).toContain('# my clusters');
  });

  it('keeps another current context and reports nothing to do for absent names', () => {
    const other = text.replace('current-context: kwok-demo', 'current-context: prod');
    expect(parse(withoutEntries(other, 'kwok-demo')!)['current-context']).toBe('prod');
    expect(withoutEntries(text, 'kwok-other')).toBeNull();
    expect(withoutEntries('not: [valid', 'kwok-demo')).toBeNull();
  });
});

describe('moving a kwok cluster to another port', () => {
  it('changes only that cluster’s server, keeping the comment and the others', () => {
    const next = withServerPort(text, 'kwok-demo', 32764, 32001)!;
    expect(next).toContain('# my clusters');
    const config = parse(next);
    expect(config.clusters).toEqual([
      { name: 'prod', cluster: { server: 'https://prod' } },
      { name: 'kwok-demo', cluster: { server: 'https://127.0.0.1:32001' } },
    ]);
    expect(config.users).toEqual(parse(text).users);
  });

  it('leaves a server the user changed, another port, and an absent cluster alone', () => {
    expect(withServerPort(text, 'kwok-demo', 32000, 32001)).toBeNull();
    expect(withServerPort(text, 'prod', 32764, 32001)).toBeNull();
    expect(withServerPort(text, 'kwok-other', 32764, 32001)).toBeNull();
    expect(withServerPort('not: [valid', 'kwok-demo', 32764, 32001)).toBeNull();
  });
});
