import { z } from 'zod';
import { method } from './define';
import type { DoctorReport, PreflightReport } from '../models/doctor';
import { createClusterRequestSchema, type CreateClusterInput } from '../models/clusters';

const runSchema = z
  .object({
    /** Also run the GPU volume-mount smoke test (starts a container; may pull ubuntu). */
    smokeTest: z.boolean().default(false),
  })
  .strict();

/** Machine checks for local clusters and GPU passthrough. */
export const doctorContract = {
  /** Every check with status ok|warn|fail|skip and a one-line fix for each warn and fail. Never fails as a whole. */
  run: method<z.input<typeof runSchema>, DoctorReport>(runSchema as z.ZodType<z.input<typeof runSchema>>),
  /**
   * The checks for one create request, before anything starts: the relevant doctor checks, name
   * clash, busy host ports, and whether the GPU assignment fits the machine. Changes nothing.
   */
  preflight: method<CreateClusterInput, PreflightReport>(createClusterRequestSchema as z.ZodType<CreateClusterInput>),
} as const;
