/**
 * The one shape of a Kubernetes object as plain JSON, shared by main and the renderer: what the
 * watch engine streams, what bundles hold and what server-side apply sends.
 */

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  /** Set by the server: every object read from a cluster has one; bundles and manifests do not. */
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  /** Set by the server; absent in bundles and manifests that were never applied. */
  /** Set by the server: every object read from a cluster has one; bundles and manifests do not. */
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generation?: number;
  [key: string]: unknown;
}

/**
 * A Kubernetes object. `apiVersion` and `kind` are always set: LIST items lack them on the wire,
 * and the watch engine fills them in before anyone sees an item.
 */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/**
 * The uid of an object read from a server, which always sets one; '' for an object that was
 * never applied. Caches and row keys of watched objects use it.
 */
export function uidOf(object: KubeObject): string {
  return object.metadata.uid ?? '';
}
