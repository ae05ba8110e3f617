import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { KubeClient } from './kube-client';
import { isLoopbackHost, isPlainHttp, plainHttpRefusal } from './plain-http';
import { toClientNodeConfig } from './to-client-node';

const kubeConfig = (server: string, user: Record<string, unknown> = {}) => {
  const kc = new KubeConfig();
  kc.loadFromOptions(toClientNodeConfig('proxy', { cluster: 'c', user: 'u' }, { server }, user, 'u'));
  return kc;
};

describe('plain-HTTP servers', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'api.localhost', '[::1]', '::1', '::ffff:127.0.0.1']) expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: true });
    for (const host of ['10.0.0.5', '128.0.0.1', 'example.com', 'localhost.example.com', '::2', '0.0.0.0']) expect({ host, loopback: isLoopbackHost(host) }).toEqual({ host, loopback: false });
    expect(isPlainHttp('http://127.0.0.1:8001')).toBe(true);
    expect(isPlainHttp('https://127.0.0.1:6443')).toBe(false);
  });

  it('refuses credentials in clear text to another machine, and only that', () => {
    expect(plainHttpRefusal('p', 'http://127.0.0.1:8001', { token: 't', exec: {} })).toBeNull();
    expect(plainHttpRefusal('p', 'http://10.0.0.5:8080', {})).toBeNull();
    expect(plainHttpRefusal('p', 'https://10.0.0.5:6443', { token: 't' })).toBeNull();
    const refused = plainHttpRefusal('p', 'http://10.0.0.5:8080', { token: 't', exec: { command: 'aws' } })!;
    expect(refused.code).toBe('INSECURE_CONNECTION');
    expect(refused.message).toBe('p: the server http://10.0.0.5:8080 is plain HTTP to another machine; Slipway does not send a bearer token or a credential plugin\'s token over it in clear text, nor run the plugin for it.');
    expect(refused.fix).toContain('kubectl proxy');
    expect(plainHttpRefusal('p', 'http://api.internal', { username: 'a', password: 'b' })!.message).toContain('a password');
  });

  it('gives client-node a config it accepts for http://, and the client refuses before any credential is read', async () => {
    const client = new KubeClient(kubeConfig('http://127.0.0.1:8001'), 'proxy');
    expect(client.server.protocol).toBe('http:');
    // client-node threw "HTTP protocol is not allowed when skipTLSVerify is not set" here.
    await expect(client.connectionOptions()).resolves.toBeDefined();
    client.dispose();
    expect(() => new KubeClient(kubeConfig('http://10.0.0.5:8080', { token: 'secret' }), 'proxy')).toThrow(expect.objectContaining({ code: 'INSECURE_CONNECTION' }));
  });
});
