import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { promotionProfileSchema } from '../../shared/models/promote-profile';
import { registryVerdict, rewrittenAway, type CredentialContext } from './image-registry-checks';
import { parsePushLine } from './image-push';
import { credentialsFor, isLoopbackRegistry, normalizeConfigKey, parseAuthChallenge, parseImageRef, registryBaseUrl } from './registry-ref';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseImageRef', () => {
  it('puts short names on Docker Hub under library/, with its API host', () => {
    expect(parseImageRef('nginx')).toEqual({ registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx' });
    expect(parseImageRef('nginx:1.27')).toMatchObject({ repository: 'library/nginx', tag: '1.27' });
    expect(parseImageRef('pytorch/pytorch:2.3')).toMatchObject({ registry: 'docker.io', repository: 'pytorch/pytorch', tag: '2.3' });
    expect(parseImageRef('docker.io/nginx')).toMatchObject({ apiHost: 'registry-1.docker.io', repository: 'library/nginx' });
    expect(parseImageRef('index.docker.io/acme/x:1')).toMatchObject({ registry: 'docker.io', repository: 'acme/x' });
  });

  it('takes a first component with a dot, a port or localhost as the registry', () => {
    expect(parseImageRef('us-docker.pkg.dev/acme/ml/train:1')).toEqual({ registry: 'us-docker.pkg.dev', apiHost: 'us-docker.pkg.dev', repository: 'acme/ml/train', tag: '1' });
    expect(parseImageRef('127.0.0.2:5000/train')).toEqual({ registry: '127.0.0.2:5000', apiHost: '127.0.0.2:5000', repository: 'train' });
    expect(parseImageRef('localhost/x:2')).toMatchObject({ registry: 'localhost', repository: 'x', tag: '2' });
  });

  it('splits a digest, with or without a tag', () => {
    expect(parseImageRef(`r.io/a/b@${DIGEST}`)).toEqual({ registry: 'r.io', apiHost: 'r.io', repository: 'a/b', digest: DIGEST });
    expect(parseImageRef(`r.io:443/a/b:1@${DIGEST}`)).toMatchObject({ registry: 'r.io:443', tag: '1', digest: DIGEST });
  });

  it('rejects what is not a reference', () => {
    expect(parseImageRef('r.io/a/B:1')).toBeUndefined();
    expect(parseImageRef('r.io/a@sha256:short')).toBeUndefined();
    expect(parseImageRef('r.io/a:bad tag')).toBeUndefined();
    expect(parseImageRef('')).toBeUndefined();
  });
});

describe('plain HTTP only for loopback', () => {
  it('knows loopback registries', () => {
    for (const r of ['localhost:5000', '127.0.0.1:5000', '127.9.9.9', '[::1]:5000']) expect(isLoopbackRegistry(r)).toBe(true);
    for (const r of ['registry.local:5000', '10.0.0.1:5000', 'r.io', '128.0.0.1']) expect(isLoopbackRegistry(r)).toBe(false);
  });
  it('builds the base URL', () => {
    expect(registryBaseUrl(parseImageRef('127.0.0.2:5000/a')!)).toBe('http://127.0.0.2:5000');
    expect(registryBaseUrl(parseImageRef('nginx')!)).toBe('https://registry-1.docker.io');
  });
});

describe('credentialsFor', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('reads auth, username/password and identitytoken, matching keys as Docker does', () => {
    expect(normalizeConfigKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(credentialsFor({ auths: { 'https://index.docker.io/v1/': { auth: b64('me:p:w') } } }, 'docker.io')).toEqual({ credentials: { username: 'me', password: 'p:w' } });
    expect(credentialsFor({ auths: { 'http://r.io:5000/v2/': { username: 'u', password: 'p' } } }, 'r.io:5000')).toEqual({ credentials: { username: 'u', password: 'p' } });
    expect(credentialsFor({ auths: { 'r.io': { identitytoken: 'tok' } } }, 'r.io')).toEqual({ credentials: { identityToken: 'tok' } });
    expect(credentialsFor({ auths: { 'other.io': { auth: b64('a:b') } } }, 'r.io')).toEqual({});
  });

  it('names a credential helper without running it', () => {
    expect(credentialsFor({ credsStore: 'desktop', auths: { 'r.io': {} } }, 'r.io')).toEqual({ helper: 'docker-credential-desktop' });
    expect(credentialsFor({ credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' } }, 'gcr.io')).toEqual({ helper: 'docker-credential-gcloud' });
    // Inline credentials are data, not a program: they are used even with a store configured.
    expect(credentialsFor({ credsStore: 'desktop', auths: { 'r.io': { auth: b64('a:b') } } }, 'r.io')).toEqual({ credentials: { username: 'a', password: 'b' } });
  });

  it('says when an auth entry is not user:password', () => {
    expect(credentialsFor({ auths: { 'r.io': { auth: b64('nocolon') } } }, 'r.io').problem).toMatch(/not base64 "user:password"/);
  });
});

describe('parseAuthChallenge', () => {
  it('parses Bearer with quoted params holding commas, and Basic', () => {
    expect(parseAuthChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull,push"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull,push' },
    });
    expect(parseAuthChallenge('Basic realm="Registry Realm"')).toEqual({ scheme: 'basic', params: { realm: 'Registry Realm' } });
    expect(parseAuthChallenge(null)).toBeUndefined();
  });
});

describe('rewrittenAway', () => {
  const job = (...images: string[]): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } } });
  it('pairs local images with the reference the profile rewrites them to, once each', () => {
    const profile = promotionProfileSchema.parse({ name: 'p', images: { rewrites: [{ from: 'localhost:5001/', to: 'r.io/acme/' }], digests: { 'r.io/acme/b:2': DIGEST } } });
    expect(rewrittenAway([job('localhost:5001/a:1', 'localhost:5001/b:2', 'nginx:1'), job('localhost:5001/a:1', 'kind-registry:5000/c:1')], profile)).toEqual([
      { source: 'localhost:5001/a:1', target: 'r.io/acme/a:1' },
      { source: 'localhost:5001/b:2', target: `r.io/acme/b:2@${DIGEST}` },
    ]);
  });
  it('leaves images rewritten to another local registry to the static check', () => {
    const profile = promotionProfileSchema.parse({ name: 'p', images: { rewrites: [{ from: 'localhost:5001/', to: 'kind-registry:5000/' }] } });
    expect(rewrittenAway([job('localhost:5001/a:1')], profile)).toEqual([]);
  });
});

describe('registryVerdict', () => {
  const rewrite = { source: 'localhost:5001/a:1', target: 'r.io/acme/a:1' };
  const none: CredentialContext = { lookup: {}, configPath: '/home/me/.docker/config.json' };
  it('fails a missing image and names --push', () => {
    const v = registryVerdict(rewrite, { kind: 'missing', status: 404 }, none);
    expect(v.status).toBe('fail');
    expect(v.reason).toMatch(/r\.io\/acme\/a:1 is not in r\.io .*--push.*Push images/);
    const pinned = registryVerdict({ ...rewrite, target: `r.io/acme/a:1@${DIGEST}` }, { kind: 'missing', status: 404 }, none);
    expect([pinned.status, pinned.reason]).toEqual(['fail', expect.stringContaining(`r.io has no r.io/acme/a:1 with digest ${DIGEST}`)]);
  });
  it('warns on a tag and names the digest to pin; a digest is ok', () => {
    const v = registryVerdict(rewrite, { kind: 'found', digest: DIGEST, byDigest: false }, none);
    expect(v.status).toBe('warn');
    expect(v.reason).toContain(`pin r.io/acme/a:1@${DIGEST}`);
    expect(registryVerdict({ ...rewrite, target: `r.io/acme/a@${DIGEST}` }, { kind: 'found', digest: DIGEST, byDigest: true }, none).status).toBe('ok');
  });
  it('says where credentials are missing, in a helper, or refused', () => {
    expect(registryVerdict(rewrite, { kind: 'unauthorized', status: 401, anonymous: true }, none).reason).toMatch(/config\.json has no credentials for r\.io/);
    expect(registryVerdict(rewrite, { kind: 'unauthorized', status: 401, anonymous: true }, { ...none, lookup: { helper: 'docker-credential-desktop' } }).reason).toMatch(/docker-credential-desktop, a program Slipway does not run/);
    const refused = registryVerdict(rewrite, { kind: 'unauthorized', status: 401, anonymous: false }, { ...none, lookup: { credentials: { username: 'a', password: 'b' } } });
    expect([refused.status, refused.reason]).toEqual(['warn', expect.stringMatching(/refused the credentials from \/home\/me\/\.docker\/config\.json/)]);
  });
  it('warns, not fails, when the registry cannot be reached', () => {
    const v = registryVerdict(rewrite, { kind: 'unreachable', reason: 'ECONNREFUSED' }, none);
    expect([v.status, v.reason]).toEqual(['warn', expect.stringMatching(/Could not reach r\.io .*ECONNREFUSED/)]);
  });
});

describe('parsePushLine', () => {
  it('reads layers and the pushed digest', () => {
    expect(parsePushLine('5f70bf18a086: Preparing')).toEqual({ layer: '5f70bf18a086', done: false });
    expect(parsePushLine('5f70bf18a086: Pushed')).toEqual({ layer: '5f70bf18a086', done: true });
    expect(parsePushLine('5f70bf18a086: Layer already exists')).toEqual({ layer: '5f70bf18a086', done: true });
    expect(parsePushLine(`1: digest: ${DIGEST} size: 527`)).toEqual({ digest: DIGEST });
    expect(parsePushLine('The push refers to repository [r.io/a]')).toEqual({});
  });
});
