import { z } from 'zod';
import { method } from './define';
import type { EditPlan, ObjectActionResult, ObjectDetails } from '../models/objects';

const dnsName = z.string().min(1).max(253);

export const objectKeySchema = z
  .object({
    context: z.string().min(1).max(1024),
    group: z.string().max(253).regex(/^[a-z0-9.-]*$/),
    version: z.string().max(64).regex(/^v[0-9a-z]+$/).optional(),
    kind: z.string().min(1).max(63).regex(/^[A-Za-z][A-Za-z0-9]*$/),
    namespace: dnsName.optional(),
    name: dnsName,
  })
  .strict();

const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delete') }).strict(),
  z.object({ type: z.literal('restart') }).strict(),
  z.object({ type: z.literal('scale'), replicas: z.number().int().min(0).max(100_000) }).strict(),
  z.object({ type: z.literal('suspend'), suspend: z.boolean() }).strict(),
  z.object({ type: z.literal('cordon'), cordon: z.boolean() }).strict(),
]);

/** An edited object's YAML: at most 4 MiB, as the API server's request limit is about 3 MiB. */
const yamlText = z.string().min(1).max(4 << 20);

const getSchema = z.object({ key: objectKeySchema, showManagedFields: z.boolean().optional() }).strict();
const actSchema = z.object({ key: objectKeySchema, action: actionSchema }).strict();
const planEditSchema = z.object({ key: objectKeySchema, yaml: yamlText }).strict();
const applyEditSchema = z.object({ key: objectKeySchema, yaml: yamlText, force: z.boolean().optional() }).strict();

/**
 * One object of one context: its details panel and the actions on it. Kinds from CRDs resolve
 * through discovery; a kind the server does not serve, or an object that is gone, is NOT_FOUND.
 */
export const objectsContract = {
  /** YAML (managedFields hidden unless asked), conditions, own events, owners, children, pods, and the actions RBAC allows. */
  get: method<z.infer<typeof getSchema>, ObjectDetails>(getSchema),
  /** Delete, scale, rollout restart, suspend/resume, cordon/uncordon. INVALID_ARGUMENT when the kind has no such action. */
  act: method<z.infer<typeof actSchema>, ObjectActionResult>(actSchema),
  /** What an edit would change (server-side dry run); changes nothing. Conflicts are listed, not forced. */
  planEdit: method<z.infer<typeof planEditSchema>, EditPlan>(planEditSchema),
  /** Server-side applies an edit as field manager `slipway`; a conflict is CONFLICT unless `force`. */
  applyEdit: method<z.infer<typeof applyEditSchema>, ObjectActionResult>(applyEditSchema),
} as const;
