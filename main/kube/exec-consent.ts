import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ExecPlugin } from '../../shared/models/contexts';
import type { SettingsService } from '../settings/settings-service';
import type { KubeconfigUser } from './kubeconfig-schema';

/** What would run for a user entry, or null when it runs nothing. */
export function execPluginOf(user: KubeconfigUser | undefined, file: string): Omit<ExecPlugin, 'consented'> | null {
  if (!user) return null;
  if (user.exec) return { kind: 'exec', command: user.exec.command, args: [...(user.exec.args ?? [])], file };
  const provider = user['auth-provider'];
  if (provider) {
    // Legacy providers (gcp, azure, oidc) run `cmd-path` or call out to token endpoints; either
    // way they act with the user's credentials, so they need the same consent.
    const config = provider.config ?? {};
    const command = config['cmd-path'] ?? `auth-provider:${provider.name}`;
    const args = config['cmd-args'] ? config['cmd-args'].split(/\s+/).filter(Boolean) : [];
    return { kind: 'auth-provider', command, args, file };
  }
  return null;
}

/** The stored consent key: SHA-256 of the kubeconfig path, the command and its arguments. */
export function consentKey(file: string, command: string, args: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([path.resolve(file), command, [...args]]))
    .digest('hex');
}

/**
 * Remembers which kubeconfig exec plugins the user allowed. A plugin runs only after consent for
 * exactly that file, command and argument list; changing any of them asks again.
 */
export class ExecConsentService {
  constructor(private readonly settings: SettingsService) {}

  isGranted(plugin: Pick<ExecPlugin, 'file' | 'command' | 'args'>): boolean {
    return this.settings.get().execConsents.includes(consentKey(plugin.file, plugin.command, plugin.args));
  }

  grant(plugin: Pick<ExecPlugin, 'file' | 'command' | 'args'>): void {
    const key = consentKey(plugin.file, plugin.command, plugin.args);
    this.settings.mutate((s) => (s.execConsents.includes(key) ? s : { ...s, execConsents: [...s.execConsents, key] }));
  }

  revoke(plugin: Pick<ExecPlugin, 'file' | 'command' | 'args'>): boolean {
    const key = consentKey(plugin.file, plugin.command, plugin.args);
    if (!this.settings.get().execConsents.includes(key)) return false;
    this.settings.mutate((s) => ({ ...s, execConsents: s.execConsents.filter((k) => k !== key) }));
    return true;
  }
}
