import { z } from 'zod';
import { method } from './define';
import type { KnobView, SetKnobRequest, SetKnobResult } from '../models/metric-knobs';

const name = z.string().min(1).max(253);
const context = z.string().min(1).max(1024);
const labels = z.record(z.string().max(63), z.string().max(63));

const targetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('object'), group: z.string().max(253).regex(/^[a-z0-9.-]*$/), kind: z.string().min(1).max(63).regex(/^[A-Za-z][A-Za-z0-9]*$/), name }).strict(),
  z.object({ type: z.literal('pod'), name }).strict(),
  z.object({ type: z.literal('pods'), selector: z.string().min(1).max(1024) }).strict(),
  z.object({ type: z.literal('external'), labels, replicasOf: z.string().max(600).optional() }).strict(),
]);

/** Metric names and values are checked again by the service, with messages that say what to write. */
const setSchema = z.object({ context, namespace: name, metric: z.string().min(1).max(63), value: z.string().max(512), target: targetSchema }).strict();
const listSchema = z.object({ context, namespace: name.optional() }).strict();

/**
 * The values Slipway's metrics adapter serves as custom and external metrics (the load panel and
 * `slipway metrics`). Bad names or values are INVALID_ARGUMENT before anything is written.
 */
export const metricsContract = {
  /** Sets one knob (an empty value removes it): an annotation on an object or pods, or an external series. */
  set: method<SetKnobRequest, SetKnobResult>(setSchema),
  /** Every knob of a context, or of one namespace. */
  list: method<z.infer<typeof listSchema>, KnobView[]>(listSchema),
} as const;
