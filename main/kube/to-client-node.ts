import { credentialMechanism } from './exec-consent';
import { isPlainHttp } from './plain-http';
import type { KubeconfigCluster, KubeconfigContext, KubeconfigUser } from './kubeconfig-schema';

/**
 * Converts one merged context into the options client-node's `KubeConfig.loadFromOptions` takes.
 * client-node never sees the raw files, so it cannot merge differently from us. Of the user's
 * credential mechanisms only the one consent is asked for ({@link credentialMechanism}) is
 * kept, and an exec stanza never reaches client-node: its ExecAuth runs plugins with no
 * deadline, so Slipway runs them itself (exec-credential.ts, wired in client-factory.ts).
 */
export function toClientNodeConfig(
  contextName: string,
  context: KubeconfigContext,
  cluster: KubeconfigCluster,
  user: KubeconfigUser | undefined,
  userName: string,
) {
  const mechanism = credentialMechanism(user);
  const provider = mechanism === 'auth-provider' ? user!['auth-provider'] : undefined;
  return {
    clusters: [
      {
        name: context.cluster,
        server: cluster.server,
        caData: cluster['certificate-authority-data'],
        caFile: cluster['certificate-authority'],
        // client-node refuses an http:// server unless this is set; without TLS there is nothing
        // to verify, and kubectl talks to such servers (kubectl proxy). Credentials over it are
        // guarded by plainHttpRefusal.
        skipTLSVerify: isPlainHttp(cluster.server) || (cluster['insecure-skip-tls-verify'] ?? false),
        tlsServerName: cluster['tls-server-name'],
        proxyUrl: cluster['proxy-url'],
      },
    ],
    users: [
      {
        name: userName || '(none)',
        certData: user?.['client-certificate-data'],
        certFile: user?.['client-certificate'],
        keyData: user?.['client-key-data'],
        keyFile: user?.['client-key'],
        token: user?.token,
        username: user?.username,
        password: user?.password,
        authProvider: provider ? { name: provider.name, config: provider.config ?? {} } : undefined,
      },
    ],
    contexts: [{ name: contextName, cluster: context.cluster, user: userName || '(none)', namespace: context.namespace }],
    currentContext: contextName,
  };
}
