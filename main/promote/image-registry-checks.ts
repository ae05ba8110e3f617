/**
 * Preflight for images a profile rewrites away from a registry only the laptop can reach: does
 * the rewritten image exist in the target registry, and by what digest? The verdicts are pure
 * ({@link registryVerdict}); {@link checkRegistryImages} does the requests.
 */
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { PromotionProfile } from '../../shared/models/promote-profile';
import type { ImageFinding } from './image-checks';
import { isLocalOnlyImage } from './image-checks';
import { containersOf, podTemplates } from './pod-templates';
import { dockerConfigPath, headManifest, readDockerConfig } from './registry-client';
import { credentialsFor, parseImageRef, withoutDigest, type CredentialLookup, type ManifestLookup } from './registry-ref';
import { rewriteImage } from './transforms';

/** A local image and the reference the profile rewrites it to: what `--push` tags and pushes. */
export interface ImageRewrite {
  source: string;
  target: string;
}

/** A registry finding: the image finding plus the rewrite `--push` would fix it with. */
export interface RegistryFinding extends ImageFinding {
  rewrite: ImageRewrite;
}

/**
 * Images of the bundle in a laptop-only registry that the profile rewrites to one that is not,
 * once each, sorted by target. Images left in a local registry are the static check's business.
 */
export function rewrittenAway(objects: KubeObject[], profile: PromotionProfile): ImageRewrite[] {
  const pairs = new Map<string, ImageRewrite>();
  for (const object of objects) {
    for (const template of podTemplates(structuredClone(object))) {
      for (const c of containersOf(template.spec)) {
        if (typeof c.image !== 'string' || !isLocalOnlyImage(c.image)) continue;
        const target = rewriteImage(c.image, profile);
        if (target !== c.image && !isLocalOnlyImage(target)) pairs.set(`${c.image}\n${target}`, { source: c.image, target });
      }
    }
  }
  return [...pairs.values()].sort((a, b) => a.target.localeCompare(b.target) || a.source.localeCompare(b.source));
}

/** Where the credentials came from, for messages. */
export interface CredentialContext {
  lookup: CredentialLookup;
  configPath: string;
  configProblem?: string;
}

function credentialNote({ lookup, configPath, configProblem }: CredentialContext, registry: string): string {
  if (configProblem) return ` The Docker config could not be used: ${configProblem}.`;
  if (lookup.problem) return ` The Docker config could not be used: ${lookup.problem}.`;
  if (lookup.helper && !lookup.credentials) return ` The credentials for ${registry} are in the credential helper ${lookup.helper}, a program Slipway does not run; they were not used.`;
  if (!lookup.credentials) return ` ${configPath} has no credentials for ${registry} (\`docker login ${registry}\` adds them).`;
  return '';
}

/** The verdict on one rewritten image from what its registry answered. */
export function registryVerdict(rewrite: ImageRewrite, answer: ManifestLookup, creds: CredentialContext): RegistryFinding {
  const image = rewrite.target;
  const ref = parseImageRef(image);
  const registry = ref?.registry ?? 'its registry';
  const from = `(rewritten from ${rewrite.source})`;
  switch (answer.kind) {
    case 'found':
      if (answer.byDigest) return { image, rewrite, status: 'ok', reason: `${image} is in ${registry} ${from}, pinned by digest.` };
      return {
        image,
        rewrite,
        status: 'warn',
        reason: `${image} is in ${registry} ${from} as ${answer.digest ?? 'an unknown digest'}, but a tag can move: pin ${withoutDigest(image)}@${answer.digest ?? 'sha256:…'} (images.digests in the profile: "${image}": ${answer.digest ?? 'sha256:…'}).`,
      };
    case 'missing':
      if (ref?.digest) {
        // A pinned digest the registry lacks: pushing helps only if the local build has that digest.
        return {
          image,
          rewrite,
          status: 'fail',
          reason: `${registry} has no ${withoutDigest(image)} with digest ${ref.digest} ${from}: the target cannot pull it. Push the build with that digest (\`slipway promote … --push\`, the Push images button), or update the digest in the profile's images.digests.`,
        };
      }
      return {
        image,
        rewrite,
        status: 'fail',
        reason: `${image} is not in ${registry} ${from}: the target cannot pull it. Push it with \`slipway promote … --push\` or the Push images button (docker tag ${rewrite.source} ${withoutDigest(image)}, docker push).`,
      };
    case 'unauthorized': {
      const why = answer.anonymous
        ? `${registry} wants credentials to say whether ${image} exists ${from}${answer.detail ? ` (${answer.detail})` : ''}.${credentialNote(creds, registry)}`
        : `${registry} refused the credentials from ${creds.configPath} for ${image} ${from} (HTTP ${answer.status}${answer.detail ? `, ${answer.detail}` : ''}): log in again (\`docker login ${registry}\`) or check access to the repository.`;
      return { image, rewrite, status: 'warn', reason: `${why} Not checked; the target's pull secret decides.` };
    }
    case 'unreachable':
      return { image, rewrite, status: 'warn', reason: `Could not reach ${registry} to check ${image} ${from}: ${answer.reason}. Not checked (offline?); the target must be able to pull it.` };
  }
}

export interface RegistryCheckOptions {
  /** The Docker config file; default `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`. */
  dockerConfig?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Asks each rewritten image's registry whether it has it. Never throws but for cancellation: a
 * registry that is slow or down, or refuses, is a warning with its reason.
 */
export async function checkRegistryImages(rewrites: ImageRewrite[], options: RegistryCheckOptions = {}): Promise<RegistryFinding[]> {
  const configPath = options.dockerConfig ?? dockerConfigPath();
  const { config, problem } = readDockerConfig(configPath);
  return Promise.all(
    rewrites.map(async (rewrite): Promise<RegistryFinding> => {
      const ref = parseImageRef(rewrite.target);
      if (!ref) return { image: rewrite.target, rewrite, status: 'fail', reason: `${rewrite.target} (rewritten from ${rewrite.source}) is not a valid image reference: fix the profile's image rewrite.` };
      const lookup = credentialsFor(config, ref.registry);
      const answer = await headManifest(ref, { credentials: lookup.credentials, timeoutMs: options.timeoutMs, signal: options.signal });
      return registryVerdict(rewrite, answer, { lookup, configPath, configProblem: problem });
    }),
  );
}
