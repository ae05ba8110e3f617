import { z } from 'zod';
import { method } from './define';
import type { ContextList } from '../models/contexts';

/** A plugin's consent key, as `contexts.list` reports it in `exec.key`. */
const execKey = z.object({ key: z.string().regex(/^[a-f0-9]{64}$/) }).strict();

/** Kubeconfig contexts: every file of KUBECONFIG merged as kubectl merges them. */
export const contextsContract = {
  /**
   * Lists contexts. With `probe`, each reachable-looking context gets a `/version` request with a
   * 5 s deadline, all in parallel; an unreachable one never delays the others beyond that.
   * Exec plugins without consent are never run: such a context reports an error instead.
   * Broken files are listed under `problems`; they never hide the good ones.
   */
  list: method<{ probe: boolean }, ContextList>(z.object({ probe: z.boolean().default(false) }).strict()),
  /**
   * Records consent to run one credential plugin: the whole stanza its key covers (file, command,
   * args, env, apiVersion, interactiveMode, provider). Fails with CONFLICT when no kubeconfig
   * entry has that key any more (the file changed since it was listed).
   */
  grantExecConsent: method<z.infer<typeof execKey>, { granted: true }>(execKey),
  /** Withdraws a consent given earlier; a no-op when there was none. */
  revokeExecConsent: method<z.infer<typeof execKey>, { revoked: boolean }>(execKey),
} as const;
