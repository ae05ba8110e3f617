import { AppError, toAppError } from '../../shared/errors';
import type { ContextList, KubeContextInfo } from '../../shared/models/contexts';
import type { KubeClientFactory } from './client-factory';
import { execPluginOf, refusedCredential, type ExecConsentService } from './exec-consent';
import type { KubeconfigService } from './kubeconfig-service';
import { isPlainHttp, plainHttpRefusal } from './plain-http';

/** The deadline of a reachability probe. */
export const PROBE_TIMEOUT_MS = 5_000;

/**
 * Lists kubeconfig contexts and probes their reachability. Probes run in parallel, each with its
 * own deadline, so one dead cluster costs at most {@link PROBE_TIMEOUT_MS} and never delays the
 * others.
 */
export class ContextsService {
  constructor(
    private readonly kubeconfig: KubeconfigService,
    private readonly consent: ExecConsentService,
    private readonly clients: KubeClientFactory,
    private readonly allowExec = false,
  ) {}

  async list(options: { probe: boolean }): Promise<ContextList> {
    const loaded = await this.kubeconfig.load();
    const { merged } = loaded;
    const refused = new Set<string>();
    const contexts: KubeContextInfo[] = [...merged.contexts.values()].map(({ name, value, file }) => {
      const cluster = merged.clusters.get(value.cluster);
      const user = merged.users.get(value.user);
      const plugin = user ? execPluginOf(user.value, user.file) : null;
      const info: KubeContextInfo = {
        name,
        cluster: value.cluster,
        server: cluster?.value.server ?? '',
        user: value.user,
        namespace: value.namespace ?? 'default',
        current: name === merged.currentContext,
        reachable: null,
        version: null,
        error: null,
        file,
        exec: plugin ? { ...plugin, consented: this.allowExec || this.consent.isGranted(plugin) } : null,
        plainHttp: isPlainHttp(cluster?.value.server ?? ''),
      };
      const refusal = cluster && info.plainHttp ? plainHttpRefusal(name, cluster.value.server, user && { ...user.value, authProvider: user.value['auth-provider'] }) : null;
      if (!cluster) info.error = `cluster "${value.cluster}" is not defined in any kubeconfig file`;
      else if (value.user && !user) info.error = `user "${value.user}" is not defined in any kubeconfig file`;
      else if (refusal) {
        info.error = `${refusal.message} ${refusal.fix}`;
        refused.add(name);
      } else if (refusedCredential(user?.value, name)) info.error = refusedCredential(user?.value, name)!.message;
      else if (info.exec && !info.exec.consented) info.error = 'exec plugin needs consent';
      return info;
    });
    if (options.probe) {
      await Promise.all(contexts.filter((c) => c.error === null).map((c) => this.probe(c)));
    }
    // A refused plain-HTTP context was never tried: it stays "not probed" rather than unreachable.
    for (const c of contexts) if (c.error !== null && c.reachable === null && options.probe && !refused.has(c.name)) c.reachable = false;
    return { contexts, problems: loaded.problems, files: loaded.files };
  }

  /** Asks the server for `/version` with a {@link PROBE_TIMEOUT_MS} deadline. */
  private async probe(context: KubeContextInfo): Promise<void> {
    try {
      const client = await this.clients.forContext(context.name);
      const res = await client.request<{ gitVersion?: string }>({ path: '/version', timeoutMs: PROBE_TIMEOUT_MS });
      context.reachable = true;
      context.version = res.body.gitVersion ?? null;
    } catch (error) {
      const appError = toAppError(error);
      // A server that answers 401/403 is reachable; the credentials are the problem.
      context.reachable = appError.code === 'UNAUTHORIZED' || appError.code === 'FORBIDDEN';
      context.error = appError.code === 'INTERNAL' ? `probe failed: ${appError.message}` : appError.message;
    }
  }

  /**
   * Records consent for the plugin with this key. The key must belong to a credential stanza in
   * the kubeconfig as it is now: one that changed since the dialog showed it is refused, so a
   * consent never covers something the user did not see.
   */
  async grantExecConsent(plugin: { key: string }): Promise<void> {
    const { merged } = await this.kubeconfig.load();
    const current = [...merged.users.values()].some((user) => execPluginOf(user.value, user.file)?.key === plugin.key);
    if (!current) {
      throw new AppError('CONFLICT', 'That credential plugin is no longer in the kubeconfig as it was shown.', {
        fix: 'Reload the Clusters page and review the plugin again.',
      });
    }
    this.consent.grant(plugin);
  }

  revokeExecConsent(plugin: { key: string }): boolean {
    return this.consent.revoke(plugin);
  }

  /** Throws when the context does not exist; used by commands that take `--context`. */
  async requireContext(name: string): Promise<void> {
    const loaded = await this.kubeconfig.load();
    if (!loaded.merged.contexts.has(name)) {
      throw new AppError('CONTEXT_NOT_FOUND', `No context named "${name}".`, { fix: 'Run `slipway contexts` to list the contexts.' });
    }
  }
}
