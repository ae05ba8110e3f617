import { createHash } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ExecPlugin } from '../../shared/models/contexts';
import type { SettingsService } from '../settings/settings-service';
import type { KubeconfigUser } from './kubeconfig-schema';

/** What a plugin is, without its consent state. */
export type ExecPluginInfo = Omit<ExecPlugin, 'consented'>;

/**
 * The one credential mechanism of a user entry that may ever be attempted. client-node tries an
 * auth-provider before exec, so a user with both would run the provider under the exec's
 * consent; Slipway picks exec (what kubectl's users expect) and strips the provider.
 */
export function credentialMechanism(user: KubeconfigUser | undefined): 'exec' | 'auth-provider' | null {
  if (user?.exec) return 'exec';
  if (user?.['auth-provider']) return 'auth-provider';
  return null;
}

/**
 * The exec fields client-node acts on. Only these are passed on to it (see to-client-node.ts),
 * so the consent key, which covers all of them, covers everything that can run.
 */
export function execStanza(user: KubeconfigUser): NonNullable<KubeconfigUser['exec']> | undefined {
  const exec = user.exec;
  if (!exec) return undefined;
  return {
    command: exec.command,
    args: [...(exec.args ?? [])],
    env: (exec.env ?? []).map(({ name, value }) => ({ name, value })),
    ...(exec.apiVersion !== undefined ? { apiVersion: exec.apiVersion } : {}),
    ...(exec.interactiveMode !== undefined ? { interactiveMode: exec.interactiveMode } : {}),
  };
}

/** What would run for a user entry, with its consent key, or null when it runs nothing. */
export function execPluginOf(user: KubeconfigUser | undefined, file: string): ExecPluginInfo | null {
  const mechanism = credentialMechanism(user);
  if (!user || !mechanism) return null;
  let described: Omit<ExecPluginInfo, 'key'>;
  if (mechanism === 'exec') {
    const exec = execStanza(user)!;
    described = {
      kind: 'exec',
      command: exec.command,
      args: exec.args ?? [],
      env: exec.env ?? [],
      apiVersion: exec.apiVersion ?? null,
      interactiveMode: exec.interactiveMode ?? null,
      provider: null,
      file,
    };
  } else {
    // Legacy providers (gcp, azure, oidc) run `cmd-path` or call out to token endpoints; either
    // way they act with the user's credentials, so they need the same consent.
    const provider = user['auth-provider']!;
    const config = provider.config ?? {};
    described = {
      kind: 'auth-provider',
      command: config['cmd-path'] ?? `auth-provider:${provider.name}`,
      // kubectl splits cmd-args on whitespace (no shell); so does the key.
      args: config['cmd-args'] ? config['cmd-args'].split(/\s+/).filter(Boolean) : [],
      env: [],
      apiVersion: null,
      interactiveMode: null,
      provider: provider.name,
      file,
    };
  }
  return { ...described, key: consentKey(described) };
}

/**
 * The stored consent key: SHA-256 over the kubeconfig path and every field of the stanza that
 * decides what runs (command, argument list, env names and values in order, apiVersion,
 * interactiveMode, provider). The `v2` tag retires keys of the older (path, command, args) form:
 * those consents did not cover `env`, so they are asked again.
 */
export function consentKey(plugin: Omit<ExecPluginInfo, 'key'>): string {
  const material = [
    'slipway-consent/v2',
    path.resolve(plugin.file),
    plugin.kind,
    plugin.command,
    [...plugin.args],
    plugin.env.map(({ name, value }) => [name, value]),
    plugin.apiVersion,
    plugin.interactiveMode,
    plugin.provider,
  ];
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

/** Auth-providers whose client-node implementation runs `cmd-path` through a blocking shell. */
const SHELL_PROVIDERS: Record<string, string> = {
  gcp: 'gke-gcloud-auth-plugin (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)',
  azure: 'kubelogin (https://github.com/Azure/kubelogin)',
};

/**
 * Refuses the gcp and azure auth-providers. client-node runs their `cmd-path` with `execSync` in
 * a shell: it blocks the whole backend, ignores every deadline and hands `cmd-args` to the shell.
 * kubectl removed both providers in 1.26 in favour of exec plugins, which Slipway runs
 * asynchronously under consent, so the fix is the one kubectl already asks for.
 */
export function refusedCredential(user: KubeconfigUser | undefined, contextName: string): AppError | null {
  if (credentialMechanism(user) !== 'auth-provider') return null;
  const name = user!['auth-provider']!.name;
  const replacement = SHELL_PROVIDERS[name];
  if (!replacement) return null;
  return new AppError('UNAUTHORIZED', `${contextName}: the "${name}" auth-provider is not supported (it runs its helper through a blocking shell; kubectl removed it in 1.26).`, {
    fix: `Switch the user to the exec credential plugin ${replacement}.`,
    details: { provider: name },
  });
}

/** The error for a plugin without consent; `details` is the plugin, for the consent dialog. */
export function consentRequired(plugin: ExecPluginInfo): AppError {
  return new AppError('EXEC_CONSENT_REQUIRED', 'exec plugin needs consent', {
    fix: `Allow "${[plugin.command, ...plugin.args].join(' ')}" in the Clusters page, or pass --allow-exec (CLI only).`,
    details: plugin,
  });
}

/**
 * Remembers which kubeconfig credential plugins the user allowed, by {@link consentKey}. A plugin
 * runs only after consent for exactly that stanza; changing any field asks again. Every check
 * reads the settings file afresh, so a revoke from another face applies at once.
 */
export class ExecConsentService {
  constructor(private readonly settings: SettingsService) {}

  isGranted(plugin: Pick<ExecPlugin, 'key'>): boolean {
    return this.settings.get().execConsents.includes(plugin.key);
  }

  grant(plugin: Pick<ExecPlugin, 'key'>): void {
    this.settings.mutate((s) => (s.execConsents.includes(plugin.key) ? s : { ...s, execConsents: [...s.execConsents, plugin.key] }));
  }

  revoke(plugin: Pick<ExecPlugin, 'key'>): boolean {
    let revoked = false;
    this.settings.mutate((s) => {
      revoked = s.execConsents.includes(plugin.key);
      return revoked ? { ...s, execConsents: s.execConsents.filter((k) => k !== plugin.key) } : s;
    });
    return revoked;
  }
}
