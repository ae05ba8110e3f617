/**
 * A kubeconfig user entry that runs a program (or calls a token endpoint) to get credentials,
 * described as written in the file. Consent covers every field here: change one and Slipway asks
 * again.
 */
export interface ExecPlugin {
  /** `exec` for client.authentication.k8s.io plugins, `auth-provider` for the legacy providers. */
  kind: 'exec' | 'auth-provider';
  command: string;
  /** The arguments as the list the program receives (for auth-providers, `cmd-args` split as kubectl does). */
  args: string[];
  /** Environment the plugin runs with, on top of Slipway's own (names and values, in file order). */
  env: { name: string; value: string }[];
  /** The exec `apiVersion`, or null. */
  apiVersion: string | null;
  /** The exec `interactiveMode`, or null. */
  interactiveMode: string | null;
  /** The auth-provider's name (`oidc`, …), or null for exec plugins. */
  provider: string | null;
  /** The kubeconfig file the user entry came from. */
  file: string;
  /**
   * The consent key: SHA-256 of the file and every field above. Granting sends it back; a grant
   * for a key no current kubeconfig entry has is refused (the file changed since it was shown).
   */
  key: string;
  consented: boolean;
}

/** One context of the merged kubeconfig, as the Clusters page and `slipway contexts` show it. */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  server: string;
  user: string;
  namespace: string;
  current: boolean;
  /** null until probed. */
  reachable: boolean | null;
  version: string | null;
  error: string | null;
  /** The file that defined this context. */
  file: string;
  exec: ExecPlugin | null;
  /**
   * The server is http://: nothing is encrypted. Allowed as kubectl allows it; credentials go
   * over it only to a loopback address (otherwise `error` says it was refused).
   */
  plainHttp: boolean;
}

/** A kubeconfig file that could not be read or parsed; the other files still load. */
export interface KubeconfigProblem {
  file: string;
  line?: number;
  message: string;
}

export interface ContextList {
  contexts: KubeContextInfo[];
  problems: KubeconfigProblem[];
  /** The files consulted, in merge order. */
  files: string[];
}
