/** A kubeconfig user entry that runs a program to get credentials. */
export interface ExecPlugin {
  /** `exec` for client.authentication.k8s.io plugins, `auth-provider` for the legacy providers. */
  kind: 'exec' | 'auth-provider';
  command: string;
  args: string[];
  /** The kubeconfig file the user entry came from; consent is per file + command + args. */
  file: string;
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
