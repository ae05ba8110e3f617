import { z } from 'zod';
import { method, task, type TaskProgress } from './define';
import {
  PROVIDER_IDS,
  clusterNameSchema,
  createClusterRequestSchema,
  type ClusterListResult,
  type CreateClusterInput,
  type CreateClusterResult,
} from '../models/clusters';

const target = z.object({ provider: z.enum(PROVIDER_IDS), name: clusterNameSchema }).strict();

/** Local clusters: kind, k3d and simulated (kwok). */
export const clustersContract = {
  /** Every local cluster of every provider; a provider that fails is a problem, not an error. */
  list: method<Record<string, never>, ClusterListResult>(z.object({}).strict()),
  /**
   * Creates a cluster with named phases and a percentage. Cancelling (unsubscribing) stops the
   * tool and removes the half-created cluster unless `keepOnFailure`. A name that exists is
   * ALREADY_EXISTS and the existing cluster is untouched.
   */
  create: task<CreateClusterInput, TaskProgress, CreateClusterResult>(createClusterRequestSchema as z.ZodType<CreateClusterInput>),
  /** Deletes a cluster and removes its kubeconfig context. */
  delete: task<z.infer<typeof target>, TaskProgress, { deleted: true }>(target),
  /** Starts a stopped cluster; `notes` say what changed (a simulated cluster moved off a port taken meanwhile). */
  start: method<z.infer<typeof target>, { started: true; notes: string[] }>(target),
  stop: method<z.infer<typeof target>, { stopped: true }>(target),
} as const;
