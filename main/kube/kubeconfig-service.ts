import fs from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../shared/errors';
import type { KubeconfigProblem } from '../../shared/models/contexts';
import { kubeconfigPaths } from './kubeconfig-files';
import { mergeKubeconfigs, type MergedKubeconfig } from './kubeconfig-merge';
import { parseKubeconfig } from './kubeconfig-parse';
import { toClientNodeConfig } from './to-client-node';

export interface LoadedKubeconfig {
  files: string[];
  merged: MergedKubeconfig;
  problems: KubeconfigProblem[];
}

/**
 * Reads the user's kubeconfig files (KUBECONFIG or ~/.kube/config, plus extra files from
 * settings) and merges them as kubectl does. A file that is missing is skipped; one that is
 * malformed becomes a problem naming the file and line, and the other files still load.
 */
export class KubeconfigService {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly extraFiles: () => readonly string[] = () => [],
  ) {}

  paths(): string[] {
    return kubeconfigPaths(this.env, this.extraFiles());
  }

  async load(): Promise<LoadedKubeconfig> {
    const files = this.paths();
    const problems: KubeconfigProblem[] = [];
    const parsed = await Promise.all(
      files.map(async (file) => {
        let text: string;
        try {
          text = await fs.readFile(file, 'utf8');
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') return null; // kubectl ignores missing KUBECONFIG entries too
          problems.push({ file, message: `cannot read: ${(error as Error).message}` });
          return null;
        }
        const result = parseKubeconfig(file, text);
        if (!result.ok) {
          problems.push(result.problem);
          return null;
        }
        return { file, config: result.config };
      }),
    );
    const good = parsed.filter((p): p is NonNullable<typeof p> => p !== null);
    // Keep problems in file order, whatever order the reads finished in.
    problems.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file));
    return { files, merged: mergeKubeconfigs(good), problems };
  }

  /** A client-node KubeConfig holding exactly one context, for clients and probes. */
  async kubeConfigFor(contextName: string): Promise<{ kc: KubeConfig; loaded: LoadedKubeconfig }> {
    const loaded = await this.load();
    return { kc: this.kubeConfigFromMerged(loaded.merged, contextName), loaded };
  }

  kubeConfigFromMerged(merged: MergedKubeconfig, contextName: string): KubeConfig {
    const context = merged.contexts.get(contextName);
    if (!context) {
      throw new AppError('CONTEXT_NOT_FOUND', `No context named "${contextName}" in ${this.paths().join(', ')}.`, {
        fix: 'Run `slipway contexts` to list the contexts.',
      });
    }
    const cluster = merged.clusters.get(context.value.cluster);
    if (!cluster) {
      throw new AppError('KUBECONFIG_INVALID', `Context "${contextName}" names cluster "${context.value.cluster}", which no file defines.`, {
        fix: `Add the cluster to ${context.file} or fix the context.`,
      });
    }
    const user = merged.users.get(context.value.user);
    const kc = new KubeConfig();
    kc.loadFromOptions(toClientNodeConfig(contextName, context.value, cluster.value, user?.value, context.value.user));
    return kc;
  }
}
