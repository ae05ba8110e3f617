import { z } from 'zod';
import { clusterNameSchema } from './clusters';

/** A Docker image reference (name[:tag][@digest]); no shell metacharacters can pass. */
export const imageRefSchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'an image reference like nvcr.io/nvidia/pytorch:24.05-py3');

export const imageLoadRequestSchema = z
  .object({
    image: imageRefSchema,
    cluster: clusterNameSchema,
    /** Found by looking the cluster up when omitted. */
    provider: z.enum(['kind', 'k3d']).optional(),
  })
  .strict();

export type ImageLoadRequest = z.infer<typeof imageLoadRequestSchema>;

export interface ImageLoadResult {
  image: string;
  cluster: string;
  provider: 'kind' | 'k3d';
  /** The node containers that now hold the image. */
  nodes: string[];
}
