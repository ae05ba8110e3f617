import type { GpuInventory } from '../../shared/models/gpu';
import type { ToolLocator } from '../clusters/tool-locator';
import { runTool } from '../clusters/run-tool';
import { AppError } from '../../shared/errors';
import { GPU_QUERY_ARGS, MINOR_QUERY_ARGS, nvidiaSmiFailureReason, parseCudaVersion, parseGpuQuery, parseMinorNumbers } from './nvidia-smi-parse';

/**
 * The host's NVIDIA GPUs from nvidia-smi. Never throws for a machine without GPUs: no driver, a
 * driver that does not answer and "no devices" are all an empty list with a reason.
 */
export class GpuInventoryService {
  constructor(private readonly tools: ToolLocator) {}

  async list(signal?: AbortSignal): Promise<GpuInventory> {
    const smi = await this.tools.find('nvidiaSmi');
    if (!smi) {
      return { gpus: [], reason: 'nvidia-smi was not found, so this machine has no NVIDIA driver (or it is not on PATH). GPU clusters need an NVIDIA GPU and its driver.' };
    }
    const env = await this.tools.env();
    const query = await runTool(smi.path, GPU_QUERY_ARGS, { env, signal, timeoutMs: 15_000, allowFailure: true, label: 'nvidia-smi --query-gpu' });
    if (query.exitCode !== 0) return { gpus: [], reason: nvidiaSmiFailureReason(query.stdout + query.stderr, query.exitCode) };
    // The CUDA version is only in the plain output's header.
    const header = await runTool(smi.path, [], { env, signal, timeoutMs: 15_000, allowFailure: true, label: 'nvidia-smi' });
    const gpus = parseGpuQuery(query.stdout, header.exitCode === 0 ? parseCudaVersion(header.stdout) : undefined);
    if (gpus.length === 0) return { gpus, reason: 'nvidia-smi answered but listed no GPU.' };
    return { gpus };
  }

  /**
   * The device minor number of each GPU index: hiding the GPUs a kind worker was not given means
   * removing /dev/nvidia<minor>, and the index is not always the minor number.
   */
  async deviceMinors(signal?: AbortSignal): Promise<Map<number, number>> {
    const smi = await this.tools.find('nvidiaSmi');
    if (!smi) throw new AppError('TOOL_NOT_FOUND', 'nvidia-smi was not found.', { fix: 'Install the NVIDIA driver, or run `slipway doctor`.' });
    const result = await runTool(smi.path, MINOR_QUERY_ARGS, { env: await this.tools.env(), signal, timeoutMs: 15_000, label: 'nvidia-smi --query-gpu=index,minor_number' });
    return parseMinorNumbers(result.stdout);
  }
}
