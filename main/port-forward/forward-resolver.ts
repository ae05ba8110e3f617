import { AppError } from '../../shared/errors';
import type { KubeClient } from '../kube/kube-client';
import type { ForwardTarget, RemotePort } from './port-spec';
import { isPodReady, pickReadyPod, podPortFor, servicePortFor, serviceSelector, type PodLike, type ServiceLike } from './resolve-target';

/** Where one TCP connection goes: a pod and its container port. */
export interface ResolvedEndpoint {
  pod: string;
  port: number;
}

const enc = encodeURIComponent;

/**
 * Finds the pod behind a forward. For a pod target that is the pod itself. For a Service it is
 * one of its ready pods, checked again for every new connection so that a deleted, terminating
 * or unready pod is swapped for the Deployment's replacement.
 */
export class ForwardResolver {
  private cached: ResolvedEndpoint | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly namespace: string,
    private readonly target: ForwardTarget,
    private readonly remotePort: RemotePort,
  ) {}

  /**
   * Checks what the user asked for before anything listens: the object exists and the port is
   * one it has (a Service port; a pod's named port). A number on a pod passes: pods often listen
   * on ports they do not declare.
   */
  async check(): Promise<void> {
    if (this.target.kind === 'pod') {
      const pod = await this.getPod(this.target.name);
      this.cached = { pod: pod.metadata.name, port: podPortFor(pod, this.remotePort) };
      return;
    }
    const service = await this.getService();
    servicePortFor(service, this.remotePort);
    serviceSelector(service);
  }

  /** The endpoint for a new connection. Throws an AppError that belongs on the forward's row. */
  async resolve(): Promise<ResolvedEndpoint> {
    if (this.target.kind === 'pod') {
      if (!this.cached) await this.check();
      return this.cached!;
    }
    if (this.cached) {
      const pod = await this.getPod(this.cached.pod).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      });
      if (pod && isPodReady(pod)) return this.cached;
      this.cached = undefined;
    }
    const service = await this.getService();
    const { targetPort } = servicePortFor(service, this.remotePort);
    const list = await this.client.request<{ items: PodLike[] }>({
      path: `/api/v1/namespaces/${enc(this.namespace)}/pods`,
      query: { labelSelector: serviceSelector(service) },
    });
    const pod = pickReadyPod(list.body.items);
    if (!pod) {
      throw new AppError('UNAVAILABLE', `No ready pod behind Service ${this.target.name} right now.`, { fix: 'Wait for its pods to become Ready; the forward picks one up on the next connection.' });
    }
    this.cached = { pod: pod.metadata.name, port: podPortFor(pod, targetPort) };
    return this.cached;
  }

  /** The endpoint in use, if one is known without asking the API server (a pod target after check). */
  get current(): ResolvedEndpoint | undefined {
    return this.cached;
  }

  /** Forgets the pod in use: the next connection resolves afresh (after the pod went away). */
  invalidate(): void {
    if (this.target.kind === 'service') this.cached = undefined;
  }

  private async getPod(name: string): Promise<PodLike> {
    try {
      return (await this.client.request<PodLike>({ path: `/api/v1/namespaces/${enc(this.namespace)}/pods/${enc(name)}` })).body;
    } catch (error) {
      throw notFound(error, `Pod ${name} was not found in namespace ${this.namespace}.`, 'Check the name with the Workloads page or `kubectl get pods`.');
    }
  }

  private async getService(): Promise<ServiceLike> {
    try {
      return (await this.client.request<ServiceLike>({ path: `/api/v1/namespaces/${enc(this.namespace)}/services/${enc(this.target.name)}` })).body;
    } catch (error) {
      throw notFound(error, `Service ${this.target.name} was not found in namespace ${this.namespace}.`, 'Check the name with `kubectl get services`.');
    }
  }
}

/** A 404 in the user's words; every other error as the client gave it. */
function notFound(error: unknown, message: string, fix: string): unknown {
  return error instanceof AppError && error.code === 'NOT_FOUND' ? new AppError('NOT_FOUND', message, { fix }) : error;
}
