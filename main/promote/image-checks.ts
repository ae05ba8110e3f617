import type { KubeObject } from '../../shared/k8s/kube-object';
import type { CheckStatus } from '../../shared/models/promote';
import { containersOf, podTemplates } from './pod-templates';

/** Registries only the laptop can reach: local registries and kind's conventional one. */
const LOCAL_REGISTRY = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal|kind-registry|registry\.local|[^/]+\.local)(:\d+)?\//;

/** Whether an image is in a registry only this machine can reach. */
export function isLocalOnlyImage(image: string): boolean {
  return LOCAL_REGISTRY.test(image);
}

export interface ImageFinding {
  image: string;
  status: CheckStatus;
  reason: string;
}

/** The registry host of an image reference; `docker.io` for short names. */
export function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/**
 * One verdict per distinct image: local-only registries and `imagePullPolicy: Never` (an image
 * loaded into the nodes, never pulled) fail; unpinned `:latest` warns; so do Docker Hub
 * repositories of a bundle captured from a kind or k3d cluster (`localCluster`), where images
 * are usually `kind load`ed rather than pushed.
 */
export function checkImages(objects: KubeObject[], options: { localCluster?: string } = {}): ImageFinding[] {
  const images = new Set<string>();
  const neverPulled = new Set<string>();
  for (const object of objects) {
    for (const template of podTemplates(object)) {
      for (const c of containersOf(template.spec)) {
        if (typeof c.image !== 'string') continue;
        images.add(c.image);
        if (c.imagePullPolicy === 'Never') neverPulled.add(c.image);
      }
    }
  }
  return [...images].sort().map((image) => {
    if (LOCAL_REGISTRY.test(image)) {
      return { image, status: 'fail', reason: `${image} is in a registry only this machine can reach (${registryOf(image)}); the target cannot pull it. Push it to the target's registry and add an image rewrite to the profile.` };
    }
    if (neverPulled.has(image)) {
      return { image, status: 'fail', reason: `${image} has imagePullPolicy: Never: it runs only where it was loaded into the nodes (kind load, k3d image import). Push it to a registry and let the target pull it.` };
    }
    if (options.localCluster && registryOf(image) === 'docker.io' && image.includes('/') && !image.includes('@')) {
      return { image, status: 'warn', reason: `${image} was captured from ${options.localCluster}, where images are often loaded rather than pushed: make sure it is in a registry the target can pull from.` };
    }
    const digest = image.includes('@sha256:');
    const lastPart = image.split('/').pop()!;
    const tag = lastPart.includes(':') ? lastPart.split(':').pop()!.split('@')[0] : undefined;
    if (!digest && (tag === undefined || tag === 'latest')) {
      return { image, status: 'warn', reason: `${image} is unpinned (${tag ? ':latest' : 'no tag'}): the target may run a different build than the laptop. Pin a tag or a digest in the profile.` };
    }
    return { image, status: 'ok', reason: digest ? `${image} is pinned by digest.` : `${image} is tagged ${tag}${registryOf(image) === 'docker.io' && !image.includes('/') ? ' (Docker Hub official image)' : ''}.` };
  });
}
