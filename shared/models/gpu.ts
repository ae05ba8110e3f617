/** One NVIDIA GPU of the host, as `nvidia-smi --query-gpu` reports it. */
export interface GpuInfo {
  index: number;
  uuid: string;
  name: string;
  memoryMiB: number;
  /** Driver version, e.g. 550.54.15. */
  driver: string;
  /** Highest CUDA version the driver supports (nvidia-smi header), e.g. 12.4. */
  cuda?: string;
  /** MIG mode: enabled GPUs are split into MIG devices (kind passthrough does not handle MIG). */
  migMode: 'enabled' | 'disabled' | 'n/a';
}

/** The host's GPUs. No GPU is an empty list with a reason, never an error. */
export interface GpuInventory {
  gpus: GpuInfo[];
  /** Why the list is empty (no driver, driver error, no devices); absent when GPUs were found. */
  reason?: string;
}
