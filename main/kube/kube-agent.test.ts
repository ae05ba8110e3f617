import { describe, expect, it } from 'vitest';
import { apiUrl, parseProxyUrl, tlsFingerprint } from './kube-agent';
import { execUrl } from '../terminal/exec-client';

describe('API URLs', () => {
  it('keeps a server path prefix (Rancher-style), with or without a trailing slash', () => {
    expect(apiUrl(new URL('https://rancher.example/k8s/clusters/c-1'), '/api/v1/pods').href).toBe('https://rancher.example/k8s/clusters/c-1/api/v1/pods');
    expect(apiUrl(new URL('https://rancher.example/k8s/clusters/c-1/'), '/version').href).toBe('https://rancher.example/k8s/clusters/c-1/version');
    expect(apiUrl(new URL('https://127.0.0.1:6443'), '/version').href).toBe('https://127.0.0.1:6443/version');
    expect(execUrl(new URL('https://h/k8s/clusters/c-1'), { namespace: 'ns', pod: 'p', command: ['sh'], tty: true }).pathname).toBe('/k8s/clusters/c-1/api/v1/namespaces/ns/pods/p/exec');
  });
});

describe('TLS fingerprints', () => {
  it('change when a client certificate or key is rotated, and only then', () => {
    const base = tlsFingerprint({ ca: 'CA', cert: Buffer.from('cert-1'), key: Buffer.from('key-1') });
    expect(tlsFingerprint({ ca: 'CA', cert: Buffer.from('cert-1'), key: Buffer.from('key-1') })).toBe(base);
    expect(tlsFingerprint({ ca: 'CA', cert: Buffer.from('cert-2'), key: Buffer.from('key-1') })).not.toBe(base);
    expect(tlsFingerprint({ ca: 'CA', cert: Buffer.from('cert-1'), key: Buffer.from('key-2') })).not.toBe(base);
    // Material moved between fields is different material.
    expect(tlsFingerprint({ ca: 'CAc', cert: Buffer.from('ert-1'), key: Buffer.from('key-1') })).not.toBe(base);
  });
});

describe('proxy-url', () => {
  it('takes http and https proxies and refuses socks with a fix', () => {
    expect(parseProxyUrl('http://127.0.0.1:3128', 'ctx')!.port).toBe('3128');
    expect(parseProxyUrl(undefined, 'ctx')).toBeUndefined();
    expect(() => parseProxyUrl('socks5://127.0.0.1:1080', 'ctx')).toThrow(/socks5 is not supported/);
    expect(() => parseProxyUrl('not a url', 'ctx')).toThrow(/not a URL/);
  });
});
