/**
 * Pure parts of the registry check: image references as the registry API names them, the
 * credentials a Docker config file holds for a registry, and `WWW-Authenticate` challenges. No
 * I/O here; see registry-client.ts for the requests.
 */

/** An image reference split the way the registry API wants it. */
export interface RegistryRef {
  /** The registry as written (or `docker.io` for short names): the key Docker's config uses. */
  registry: string;
  /** Where the API answers: `registry-1.docker.io` for Docker Hub, else the registry itself. */
  apiHost: string;
  /** The repository, with Docker Hub's `library/` for official images. */
  repository: string;
  tag?: string;
  /** `sha256:…` when the reference pins one. */
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * Parses `[registry/]repository[:tag][@sha256:…]` with Docker's defaults: a first component is a
 * registry when it has a dot or a port or is `localhost`; otherwise the image is on Docker Hub,
 * whose API host is `registry-1.docker.io` and whose one-part names live under `library/`.
 * Returns undefined for something that is not an image reference.
 */
export function parseImageRef(image: string): RegistryRef | undefined {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  let registry = hasRegistry ? first : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const lastSlash = path.lastIndexOf('/');
  const colon = path.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  const hub = registry === 'docker.io';
  if (hub && !path.includes('/')) path = `library/${path}`;
  if (!REPOSITORY.test(path)) return undefined;
  return { registry, apiHost: hub ? 'registry-1.docker.io' : registry, repository: path, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** `host:port/repo:tag` → `host:port/repo` (digest and tag dropped): what `docker push` takes with the tag. */
export function withoutDigest(image: string): string {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(0, at) : image;
}

/**
 * Registries Docker talks plain HTTP to by default (its insecure-registry default is 127.0.0.0/8):
 * loopback only. Everything else is HTTPS.
 */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.split(':')[0]!;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function registryBaseUrl(ref: RegistryRef): string {
  return `${isLoopbackRegistry(ref.apiHost) ? 'http' : 'https'}://${ref.apiHost}`;
}

/** The media types a manifest HEAD accepts: OCI index and manifest, Docker manifest list and v2 manifest. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Credentials for one registry, as the Docker config holds them. */
export type RegistryCredentials = { username: string; password: string } | { identityToken: string; username?: string };

/** What the Docker config says about one registry. */
export interface CredentialLookup {
  credentials?: RegistryCredentials;
  /** A credential helper (`docker-credential-<name>`) holds them: a program, which Slipway does not run. */
  helper?: string;
  /** Why an entry could not be used (e.g. an `auth` that is not base64 `user:password`). */
  problem?: string;
}

/** The parts of `~/.docker/config.json` this check reads. */
export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string } | undefined>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** `https://index.docker.io/v1/` → `docker.io`; `http://host:5000/v2/` → `host:5000`: how Docker matches config keys. */
export function normalizeConfigKey(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * The credentials the Docker config holds for a registry: an `auths` entry (`auth` as base64
 * `user:password`, or `username`/`password`, or `identitytoken`), else the helper that would
 * hold them (`credHelpers[registry]`, then `credsStore`), named but never run.
 */
export function credentialsFor(config: DockerConfigFile, registry: string): CredentialLookup {
  const wanted = normalizeConfigKey(registry);
  const entry = Object.entries(config.auths ?? {}).find(([key]) => normalizeConfigKey(key) === wanted)?.[1];
  const helperName = Object.entries(config.credHelpers ?? {}).find(([key]) => normalizeConfigKey(key) === wanted)?.[1] ?? config.credsStore;
  const helper = helperName ? { helper: `docker-credential-${helperName}` } : {};
  if (entry?.identitytoken) return { credentials: { identityToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) } };
  if (entry?.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { ...helper, problem: `the auths entry for ${registry} is not base64 "user:password"` };
    return { credentials: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
  }
  if (entry?.username && entry.password !== undefined) return { credentials: { username: entry.username, password: entry.password } };
  return helper;
}

/** One `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a `WWW-Authenticate` header (quoted values may hold commas). */
export function parseAuthChallenge(header: string | null | undefined): AuthChallenge | undefined {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*,?\s*/gy;
  const rest = match[2]!;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  return { scheme: match[1]!.toLowerCase(), params };
}

/** What a registry said about one manifest. */
export type ManifestLookup =
  | { kind: 'found'; digest?: string; byDigest: boolean }
  | { kind: 'missing'; status: number }
  | { kind: 'unauthorized'; status: number; anonymous: boolean; detail?: string }
  | { kind: 'unreachable'; reason: string };
