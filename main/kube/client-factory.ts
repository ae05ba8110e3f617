import { AppError } from '../../shared/errors';
import type { Disposable } from '../../shared/disposable';
import { execPluginOf, type ExecConsentService } from './exec-consent';
import { KubeClient } from './kube-client';
import type { KubeconfigService } from './kubeconfig-service';

export interface ClientOptions {
  /** The CLI's `--allow-exec`: run exec plugins for this process without stored consent. */
  allowExec?: boolean;
}

/**
 * Builds a {@link KubeClient} per context. This is the only place a kubeconfig user can cause a
 * process to be spawned, so it is where exec consent is enforced: without it the client is never
 * built and nothing runs.
 */
export class KubeClientFactory implements Disposable {
  private readonly cache = new Map<string, { client: KubeClient; fingerprint: string }>();

  constructor(
    private readonly kubeconfig: KubeconfigService,
    private readonly consent: ExecConsentService,
    private readonly options: ClientOptions = {},
  ) {}

  async forContext(contextName: string): Promise<KubeClient> {
    const loaded = await this.kubeconfig.load();
    const context = loaded.merged.contexts.get(contextName);
    const user = context ? loaded.merged.users.get(context.value.user) : undefined;
    const cluster = context ? loaded.merged.clusters.get(context.value.cluster) : undefined;
    const plugin = user ? execPluginOf(user.value, user.file) : null;
    // Building the client runs nothing; it refuses credentials over plain HTTP to another
    // machine, which no consent could make safe, so that is said before consent is asked.
    const fingerprint = JSON.stringify([context?.value, cluster?.value, user?.value]);
    const cached = this.cache.get(contextName);
    const client = cached && cached.fingerprint === fingerprint ? cached.client : new KubeClient(this.kubeconfig.kubeConfigFromMerged(loaded.merged, contextName), contextName);
    if (plugin && !this.options.allowExec && !this.consent.isGranted(plugin)) {
      if (client !== cached?.client) client.dispose();
      throw new AppError('EXEC_CONSENT_REQUIRED', 'exec plugin needs consent', {
        fix: `Allow "${[plugin.command, ...plugin.args].join(' ')}" in the Clusters page, or pass --allow-exec.`,
        details: plugin,
      });
    }
    if (cached?.client === client) return client;
    cached?.client.dispose();
    this.cache.set(contextName, { client, fingerprint });
    return client;
  }

  dispose(): void {
    for (const { client } of this.cache.values()) client.dispose();
    this.cache.clear();
  }
}
