import { z } from 'zod';
import { method } from './define';
import type { GpuInventory } from '../models/gpu';

/** The host's NVIDIA GPUs. */
export const gpuContract = {
  /** GPUs from nvidia-smi; a machine without one gets an empty list and a reason, never an error. */
  list: method<Record<string, never>, GpuInventory>(z.object({}).strict()),
} as const;
