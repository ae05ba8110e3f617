import type { KubeClient } from '../kube/kube-client';
import type { ResourceMapper } from '../kube/resources/resource-mapper';

/** What the server-side steps of one promotion share: the target, its resource mapper, cancellation, throttle reports. */
export interface TargetOps {
  client: KubeClient;
  mapper: ResourceMapper;
  signal?: AbortSignal;
  onThrottle?: (seconds: number) => void;
}
