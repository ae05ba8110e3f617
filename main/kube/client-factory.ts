import type { Disposable } from '../../shared/disposable';
import { consentRequired, credentialMechanism, execPluginOf, execStanza, refusedCredential, type ExecConsentService } from './exec-consent';
import { ExecCredentialSource } from './exec-credential';
import { KubeClient } from './kube-client';
import type { KubeconfigService } from './kubeconfig-service';

export interface ClientOptions {
  /** The CLI's `--allow-exec`: run exec plugins for this process without stored consent. */
  allowExec?: boolean;
  /** How long an exec credential plugin may run before it is killed (default 30 s). */
  execTimeoutMs?: number;
}

/**
 * Builds a {@link KubeClient} per context. This is the only place a kubeconfig user can cause a
 * process to be spawned, so it is where exec consent is enforced: without it the client is never
 * built and nothing runs. A built client checks the consent again before every credential
 * lookup, so a consent revoked later (in any face) stops the plugin from running again.
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
    const refusal = refusedCredential(user?.value, contextName);
    if (refusal) throw refusal;
    const plugin = user ? execPluginOf(user.value, user.file) : null;
    const gate = plugin && !this.options.allowExec
      ? () => {
          if (!this.consent.isGranted(plugin)) throw consentRequired(plugin);
        }
      : undefined;
    const fingerprint = JSON.stringify([context?.value, cluster?.value, user?.value]);
    const cached = this.cache.get(contextName);
    if (cached && cached.fingerprint === fingerprint) {
      gate?.();
      return cached.client;
    }
    // Building the client runs nothing; it refuses credentials over plain HTTP to another
    // machine, which no consent could make safe, so that is said before consent is asked.
    // The plugin runs under Slipway's deadline, with the stanza consent was given for, and the
    // gate again before each run (a cached client outlives consent checks made here).
    const execCredential = user && credentialMechanism(user.value) === 'exec'
      ? new ExecCredentialSource(execStanza(user.value)!, contextName, gate, this.options.execTimeoutMs)
      : undefined;
    const client = new KubeClient(this.kubeconfig.kubeConfigFromMerged(loaded.merged, contextName), contextName, gate, execCredential);
    try {
      gate?.();
    } catch (error) {
      client.dispose();
      throw error;
    }
    cached?.client.dispose();
    this.cache.set(contextName, { client, fingerprint });
    return client;
  }

  dispose(): void {
    for (const { client } of this.cache.values()) client.dispose();
    this.cache.clear();
  }
}
