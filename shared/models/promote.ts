/**
 * Types of promotion shared by main and the renderer: bundles, rendered objects, preflight
 * checks, diffs, apply results and history records.
 */
import type { KubeObject } from '../k8s/kube-object';
import type { PromotionProfile } from './promote-profile';

/** Where an object of a bundle came from, for messages ("inference.yaml:12"). */
export interface ObjectOrigin {
  file?: string;
  line?: number;
}

/** How a bundle was obtained. */
export type BundleSource =
  | { kind: 'folder' | 'file' | 'kustomization'; path: string }
  | { kind: 'capture'; context: string; namespace: string; selector?: string };

export interface Bundle {
  /** A short name (folder name or namespace), used for labels and history. */
  name: string;
  source: BundleSource;
  objects: { object: KubeObject; origin: ObjectOrigin }[];
}

/** `Kind namespace/name` or `Kind name`: how messages and tables name an object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One object after the profile's transforms, with what changed and why. */
export interface RenderedObject {
  ref: ObjectRef;
  object: KubeObject;
  origin: ObjectOrigin;
  /** Human lines: "image localhost:5001/train:1 → us-docker.pkg.dev/acme/train:1". */
  changes: string[];
}

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface PreflightCheck {
  /** Stable id, e.g. `reachable`, `crd:kubeflow.org/PyTorchJob`, `rbac:create:apps/deployments:ml`. */
  id: string;
  title: string;
  status: CheckStatus;
  reason: string;
  /** The objects the check is about. */
  objects?: string[];
  /**
   * The image is missing in the target registry and the profile rewrites it from a local image:
   * pushing (`slipway promote … --push`, the Push images button) tags `source` as `target` and pushes it.
   */
  push?: { source: string; target: string };
}

/** One image `--push` tagged and pushed. */
export interface PushedImage {
  source: string;
  /** What was pushed: the rewritten reference without a digest. */
  target: string;
  /** The digest `docker push` reported. */
  digest?: string;
}

export interface PushImagesResult {
  pushed: PushedImage[];
  /** The registry check of every rewritten image, after the push. */
  checks: PreflightCheck[];
}

export interface PlanResult {
  bundle: { name: string; source: BundleSource; objects: number; /** See {@link PromotionSummary.bundleId}. */ id?: string };
  profile: string;
  target: { context: string; version?: string };
  rendered: RenderedObject[];
  checks: PreflightCheck[];
  /** True when no check failed. */
  ok: boolean;
  /** With prune: what the apply would delete (objects earlier promotions of this bundle created that it no longer has). */
  willDelete?: ObjectRef[];
}

export interface FieldChange {
  /** Dotted path, e.g. `spec.template.spec.containers.0.image`. */
  path: string;
  type: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** `delete`: prune would remove it (only with prune, only what an earlier promotion of the bundle created). */
export type DiffAction = 'create' | 'change' | 'unchanged' | 'conflict' | 'error' | 'delete';

export interface ConflictInfo {
  /** Field managers that own the conflicting fields, e.g. `kubectl-client-side-apply`. */
  managers: string[];
  fields: string[];
  message: string;
}

export interface DiffEntry {
  ref: ObjectRef;
  action: DiffAction;
  changes: FieldChange[];
  conflict?: ConflictInfo;
  error?: { code: string; message: string };
}

export interface DiffResult {
  plan: PlanResult;
  entries: DiffEntry[];
  summary: Record<DiffAction, number>;
}

/**
 * `pending`: written ahead of the request and never answered (cancelled, crashed, disconnected):
 * the object may or may not have landed, and rollback finds out from the live object.
 */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'conflict' | 'failed' | 'skipped' | 'pruned' | 'pending';

export interface AppliedObject {
  ref: ObjectRef;
  outcome: ApplyOutcome;
  message?: string;
  conflict?: ConflictInfo;
  /** Readiness after apply: rollout done, PVC bound, job started. */
  ready?: { ready: boolean; message: string };
  /** The live object's uid after the apply (or before a prune): rollback and prune delete only while it still matches. */
  uid?: string;
}

/** `interrupted`: the apply did not finish (cancelled, crashed); rollback undoes what its record holds. */
export type PromotionStatus = 'succeeded' | 'partial' | 'failed' | 'blocked' | 'interrupted';

export interface ApplyResult {
  id: string;
  status: PromotionStatus;
  objects: AppliedObject[];
  checks: PreflightCheck[];
  /** Where the record was written. */
  recordPath: string;
}

/** One promotion as the history lists it. */
export interface PromotionSummary {
  id: string;
  createdAt: string;
  bundle: string;
  /**
   * Identity of the bundle that cannot collide: a hash of its source (absolute path, or capture
   * context/namespace/selector). Two folders both named `deploy` have different ids. Prune and
   * "later promotions of the same bundle" go by it. Absent in records older than it.
   */
  bundleId?: string;
  source: BundleSource;
  target: string;
  profile: string;
  status: PromotionStatus;
  counts: Partial<Record<ApplyOutcome, number>>;
  rolledBackAt?: string;
}

/** The whole record kept on disk for rollback and audit. */
export interface PromotionRecord extends PromotionSummary {
  profileSpec: PromotionProfile;
  rendered: KubeObject[];
  /** Live objects before the apply (null where the promotion created the object). */
  previous: { ref: ObjectRef; object: KubeObject | null }[];
  result: AppliedObject[];
  rollback?: { at: string; objects: { ref: ObjectRef; action: 'restored' | 'deleted' | 'kept' | 'failed'; message?: string }[] };
}

export interface RollbackResult {
  id: string;
  objects: NonNullable<PromotionRecord['rollback']>['objects'];
}

export interface ExportResult {
  dir: string;
  files: string[];
  format: 'manifests' | 'overlay';
}

/** `Deployment ml/inference` — how one object is named in messages. */
export function formatRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function refOf(object: KubeObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}
