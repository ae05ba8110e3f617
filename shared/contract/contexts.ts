import { z } from 'zod';
import { method } from './define';
import type { ContextList } from '../models/contexts';

const execKey = z
  .object({
    file: z.string().min(1).max(4096),
    command: z.string().min(1).max(4096),
    args: z.array(z.string().max(4096)).max(256),
  })
  .strict();

/** Kubeconfig contexts: every file of KUBECONFIG merged as kubectl merges them. */
export const contextsContract = {
  /**
   * Lists contexts. With `probe`, each reachable-looking context gets a `/version` request with a
   * 5 s deadline, all in parallel; an unreachable one never delays the others beyond that.
   * Exec plugins without consent are never run: such a context reports an error instead.
   * Broken files are listed under `problems`; they never hide the good ones.
   */
  list: method<{ probe: boolean }, ContextList>(z.object({ probe: z.boolean().default(false) }).strict()),
  /** Records consent to run one exec plugin (file + command + args). */
  grantExecConsent: method<z.infer<typeof execKey>, { granted: true }>(execKey),
  /** Withdraws a consent given earlier; a no-op when there was none. */
  revokeExecConsent: method<z.infer<typeof execKey>, { revoked: boolean }>(execKey),
} as const;
