import { z } from 'zod';
import { event, method } from './define';
import { TRAINING_KINDS, VIEW_IDS, type HpaSample, type StatusReport, type TrainingJobDetails, type ViewBatch } from '../models/views';

const context = z.string().min(1).max(1024);
const namespace = z.string().min(1).max(253).optional();

const watchSchema = z.object({ context, view: z.enum(VIEW_IDS), namespace }).strict();

/** View models of live state (the same ones `slipway status` prints). */
export const viewsContract = {
  /**
   * A live view of one context: a `snapshot` of rows keyed by `key`, then deltas of changed rows
   * and removed keys, at most every ~100 ms. `meta` carries the context's health, summaries and
   * problems ("no permission to list pods") — a view never goes blank for want of one source.
   */
  watch: event<z.infer<typeof watchSchema>, ViewBatch>(watchSchema),
  /** Nodes/GPUs, HPAs, storage and training jobs, read once (paged LISTs). */
  status: method<{ context: string; namespace?: string }, StatusReport>(z.object({ context, namespace }).strict()),
  /**
   * Installs the pinned metrics-server (resources/manifests) by server-side apply, for HPAs whose
   * metrics API is missing. kind contexts get --kubelet-insecure-tls (self-signed kubelets).
   */
  installMetricsServer: method<{ context: string }, { installed: true; objects: number }>(z.object({ context }).strict()),
  /**
   * One HPA's replicas and metrics over time, kept by the backend since the HPA view was first
   * watched, with the controller's SuccessfulRescale events from before that.
   */
  hpaHistory: method<{ context: string; namespace: string; name: string; uid: string }, { samples: HpaSample[] }>(
    z.object({ context, namespace: z.string().min(1).max(253), name: z.string().min(1).max(253), uid: z.string().min(1).max(128) }).strict(),
  ),
  /** Pods, events and the primary pod of one training job. */
  trainingJobDetails: method<{ context: string; namespace: string; kind: (typeof TRAINING_KINDS)[number]; name: string; podSelector?: string }, TrainingJobDetails>(
    z.object({ context, namespace: z.string().min(1).max(253), kind: z.enum(TRAINING_KINDS), name: z.string().min(1).max(253), podSelector: z.string().max(4096).optional() }).strict(),
  ),
} as const;
