import { z } from 'zod';
import { method, task, type TaskProgress } from './define';
import type {
  ApplyResult,
  BundleSource,
  DiffResult,
  ExportResult,
  ObjectOrigin,
  ObjectRef,
  PlanResult,
  PromotionRecord,
  PromotionSummary,
  PushImagesResult,
  RollbackResult,
} from '../models/promote';
import { promotionProfileSchema, type PromotionProfile, type PromotionProfileInput } from '../models/promote-profile';

const pathString = z.string().min(1).max(4096);
const contextName = z.string().min(1).max(253);
const promotionId = z.string().regex(/^\d{8}-\d{6}-[a-f0-9]{6}$/, 'a promotion id like 20260101-120000-a1b2c3');

/**
 * What to promote where: a bundle (folder, file or kustomization path on the backend's machine),
 * the target context, and a profile — a saved name, a YAML file, or an inline profile (the
 * Promote page's editor). Without any, nothing is transformed.
 */
export const promoteRequestSchema = z
  .object({
    bundle: pathString,
    target: contextName,
    profile: z.string().min(1).max(4096).optional(),
    profileSpec: promotionProfileSchema.optional(),
    /**
     * Also delete what earlier promotions of this bundle (by its identity, not its folder name)
     * created and it no longer has (never PVCs, Namespaces or CRDs): plan and diff list them as
     * "will delete", apply deletes them.
     */
    prune: z.boolean().optional(),
    /**
     * `false` skips asking the target registry whether rewritten images exist (offline, a
     * registry behind a VPN, a fictional one in the demo); the static image checks still run.
     */
    registryCheck: z.boolean().optional(),
  })
  .strict();
export type PromoteRequest = z.infer<typeof promoteRequestSchema>;

export const applyRequestSchema = promoteRequestSchema
  .extend({
    /** Take over fields other managers own (server-side apply `force=true`). Never the default. */
    forceConflicts: z.boolean().default(false),
    /** Delete objects an earlier promotion of this bundle created that it no longer has (never PVCs). */
    prune: z.boolean().default(false),
    /** How long to wait for readiness after the apply; 0 skips the wait. */
    waitTimeoutSeconds: z.number().int().min(0).max(3600).default(120),
  })
  .strict();
export type ApplyRequest = z.infer<typeof applyRequestSchema>;

export interface BundleInfo {
  name: string;
  source: BundleSource;
  objects: { ref: ObjectRef; origin: ObjectOrigin }[];
}

export interface SampleBundle {
  name: string;
  path: string;
  description: string;
}

export interface CaptureResult {
  bundle: BundleInfo;
  /** The folder the captured manifests were written to: usable as a bundle path. */
  dir: string;
  files: string[];
  /** Secrets of the namespace that were not captured (names): only `includeSecrets` writes their values to disk. */
  secretsLeftOut: string[];
}

/** Promotion: bundles, profiles, plan (render + preflight), server-side diff, apply, history, rollback, export. */
export const promoteContract = {
  /** Example bundles shipped with Slipway (resources/samples). */
  listSamples: method<Record<string, never>, SampleBundle[]>(z.object({}).strict()),
  /**
   * Pasted YAML as a bundle: written (0600) to a folder named by its hash under the config
   * directory, whose path then goes to plan/diff/apply like any bundle. BUNDLE_INVALID when it
   * does not parse or holds no object. At most 4 MiB.
   */
  stagePastedYaml: method<{ yaml: string }, { path: string }>(z.object({ yaml: z.string().min(1).max(4 << 20) }).strict()),
  /** Loads a bundle and lists its objects; BUNDLE_INVALID names file and line. */
  loadBundle: method<{ path: string }, BundleInfo>(z.object({ path: pathString }).strict()),
  /**
   * Captures a live namespace (or a label selection) into a folder of manifests (0600 files in a
   * 0700 folder). Secrets are left out unless `includeSecrets`: their values would sit on disk.
   */
  capture: task<{ context: string; namespace: string; selector?: string; out?: string; includeSecrets?: boolean }, TaskProgress, CaptureResult>(
    z.object({ context: contextName, namespace: z.string().min(1).max(63), selector: z.string().max(1024).optional(), out: pathString.optional(), includeSecrets: z.boolean().optional() }).strict(),
  ),
  /** Saved profiles and the shipped examples. */
  listProfiles: method<Record<string, never>, { saved: PromotionProfile[]; examples: { profile: PromotionProfile; file: string }[] }>(z.object({}).strict()),
  /** Saves (creates or replaces by name) a profile in settings. */
  saveProfile: method<{ profile: PromotionProfileInput }, PromotionProfile>(z.object({ profile: promotionProfileSchema }).strict() as unknown as z.ZodType<{ profile: PromotionProfileInput }>),
  deleteProfile: method<{ name: string }, { deleted: boolean }>(z.object({ name: z.string().min(1).max(63) }).strict()),
  /** Renders the bundle through the profile and runs preflight against the target. Changes nothing. */
  plan: task<PromoteRequest, TaskProgress, PlanResult>(promoteRequestSchema),
  /**
   * Tags and pushes each local image the profile rewrites away from a laptop-only registry
   * (`docker tag`, `docker push`, the push's lines as progress), then checks the target registry
   * again. Needs Docker, not the target cluster. Cancel stops the push.
   */
  pushImages: task<PromoteRequest, TaskProgress, PushImagesResult>(promoteRequestSchema),
  /** Plan plus a server-side dry-run apply of every object, compared with the live objects. Changes nothing. */
  diff: task<PromoteRequest, TaskProgress, DiffResult>(promoteRequestSchema),
  /**
   * Plan, diff, then server-side apply in dependency order and a wait for readiness. Blocked (nothing
   * applied) when a preflight check fails, the dry run rejects an object, or fields conflict
   * without `forceConflicts`. Recorded in history either way, written ahead object by object.
   * Detachable: a lost connection does not stop it halfway (see `tasks.attach`).
   */
  apply: task<z.input<typeof applyRequestSchema>, TaskProgress, ApplyResult>(applyRequestSchema as z.ZodType<z.input<typeof applyRequestSchema>>, { detachable: true }),
  listHistory: method<Record<string, never>, PromotionSummary[]>(z.object({}).strict()),
  getHistory: method<{ id: string }, PromotionRecord>(z.object({ id: promotionId }).strict()),
  /** Restores what the promotion changed and removes what it created (never PVCs). */
  rollback: task<{ id: string }, TaskProgress, RollbackResult>(z.object({ id: promotionId }).strict(), { detachable: true }),
  /** Writes the rendered manifests (or a kustomize overlay) to an empty folder, for Argo CD or Flux. */
  export: method<{ bundle: string; profile?: string; profileSpec?: PromotionProfileInput; out: string; format?: 'manifests' | 'overlay' }, ExportResult>(
    z.object({ bundle: pathString, profile: z.string().min(1).optional(), profileSpec: promotionProfileSchema.optional(), out: pathString, format: z.enum(['manifests', 'overlay']).default('manifests') }).strict() as z.ZodType<{
      bundle: string;
      profile?: string;
      profileSpec?: PromotionProfileInput;
      out: string;
      format?: 'manifests' | 'overlay';
    }>,
  ),
} as const;
