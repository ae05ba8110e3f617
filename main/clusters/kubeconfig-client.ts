import { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../shared/errors';
import { KubeClient } from '../kube/kube-client';

/**
 * A client for a cluster Slipway just created, from the kubeconfig its tool printed (kind get
 * kubeconfig, k3d kubeconfig get). Such kubeconfigs hold certificates, never exec plugins, so no
 * consent is involved; anything else is refused.
 */
export function clientFromKubeconfig(text: string, contextName: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (!kc.getContextObject(contextName)) {
    throw new AppError('KUBECONFIG_INVALID', `The cluster's kubeconfig has no context "${contextName}".`, { fix: 'Delete the cluster and create it again.' });
  }
  kc.setCurrentContext(contextName);
  if (kc.getCurrentUser()?.exec || kc.getCurrentUser()?.authProvider) {
    throw new AppError('EXEC_CONSENT_REQUIRED', `The kubeconfig of ${contextName} asks to run a credential plugin; Slipway does not run one for a cluster it created.`);
  }
  return new KubeClient(kc, contextName);
}
