/**
 * The registry API, just enough to ask whether a manifest exists: `HEAD /v2/<repo>/manifests/<ref>`,
 * anonymous first, then what the registry's `WWW-Authenticate` asks for (Basic with the user's
 * Docker credentials, or a Bearer token from its realm). Never throws for a registry problem: an
 * unreachable or slow registry is a {@link ManifestLookup} of kind `unreachable`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import {
  MANIFEST_ACCEPT,
  parseAuthChallenge,
  registryBaseUrl,
  type AuthChallenge,
  type DockerConfigFile,
  type ManifestLookup,
  type RegistryCredentials,
  type RegistryRef,
} from './registry-ref';

export interface RegistryRequestOptions {
  credentials?: RegistryCredentials;
  /** Per request; a registry that does not answer within it is unreachable (default 5 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Where Docker keeps its config: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker'), 'config.json');
}

/** Reads the Docker config; a missing file is an empty config, an unreadable one says why. */
export function readDockerConfig(file: string): { config: DockerConfigFile; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: {} };
    return { config: {}, problem: `${file} could not be read: ${(error as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { config: {}, problem: `${file} is not a JSON object` };
    return { config: parsed as DockerConfigFile };
  } catch (error) {
    return { config: {}, problem: `${file} is not valid JSON: ${(error as Error).message}` };
  }
}

class Unreachable extends Error {}

async function request(url: string, init: RequestInit, options: RegistryRequestOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const signals = [AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    return await fetch(url, { ...init, signal: AbortSignal.any(signals), redirect: 'follow' });
  } catch (error) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', 'The registry check was cancelled.');
    const e = error as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new Unreachable(`no answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new Unreachable(e.cause?.code ?? e.cause?.message ?? e.message);
  }
}

function basic(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** A Bearer token from the challenge's realm, with the user's credentials when there are some. */
async function bearerToken(challenge: AuthChallenge, ref: RegistryRef, options: RegistryRequestOptions): Promise<{ token?: string; status: number; detail?: string }> {
  const realm = challenge.params.realm;
  if (!realm || !/^https?:\/\//.test(realm)) return { status: 0, detail: `the registry's token realm "${realm ?? ''}" is not a URL` };
  const scope = challenge.params.scope ?? `repository:${ref.repository}:pull`;
  const creds = options.credentials;
  let res: Response;
  if (creds && 'identityToken' in creds) {
    // An identity token is an OAuth2 refresh token: exchanged by POST, as Docker does.
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'slipway', scope, ...(challenge.params.service ? { service: challenge.params.service } : {}) });
    res = await request(realm, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }, options);
  } else {
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', scope);
    res = await request(url.toString(), { headers: creds ? { Authorization: basic(creds) } : {} }, options);
  }
  if (!res.ok) return { status: res.status, detail: `the token service answered ${res.status}` };
  const json = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
  const token = json.token ?? json.access_token;
  return token ? { token, status: res.status } : { status: res.status, detail: 'the token service answered without a token' };
}

/**
 * Whether the manifest of `ref` (its digest if pinned, else its tag, else `latest`) exists, and
 * its digest (`Docker-Content-Digest`; computed from the body when a registry leaves it out).
 */
export async function headManifest(ref: RegistryRef, options: RegistryRequestOptions = {}): Promise<ManifestLookup> {
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const url = `${registryBaseUrl(ref)}/v2/${ref.repository}/manifests/${reference}`;
  const ask = (authorization?: string, method = 'HEAD') => request(url, { method, headers: { Accept: MANIFEST_ACCEPT, ...(authorization ? { Authorization: authorization } : {}) } }, options);
  try {
    let res = await ask();
    let anonymous = true;
    let authorization: string | undefined;
    if (res.status === 401) {
      const challenge = parseAuthChallenge(res.headers.get('www-authenticate'));
      const creds = options.credentials;
      if (challenge?.scheme === 'basic') {
        if (!creds || !('password' in creds)) return { kind: 'unauthorized', status: 401, anonymous: true, detail: 'the registry asks for a user name and password' };
        authorization = basic(creds);
      } else if (challenge?.scheme === 'bearer') {
        const token = await bearerToken(challenge, ref, options);
        if (!token.token) return { kind: 'unauthorized', status: token.status || 401, anonymous: !creds, detail: token.detail };
        authorization = `Bearer ${token.token}`;
      } else {
        return { kind: 'unauthorized', status: 401, anonymous: true, detail: `the registry asks for ${challenge?.scheme ?? 'an unnamed'} authentication, which Slipway does not speak` };
      }
      anonymous = !creds;
      res = await ask(authorization);
    }
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized', status: res.status, anonymous };
    if (res.status === 404) return { kind: 'missing', status: 404 };
    if (!res.ok) return { kind: 'unreachable', reason: `the registry answered ${res.status} ${res.statusText}`.trim() };
    let digest = res.headers.get('docker-content-digest') ?? undefined;
    if (!digest) {
      const body = Buffer.from(await (await ask(authorization, 'GET')).arrayBuffer());
      digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    }
    return { kind: 'found', digest, byDigest: Boolean(ref.digest) };
  } catch (error) {
    if (error instanceof Unreachable) return { kind: 'unreachable', reason: error.message };
    throw error;
  }
}
