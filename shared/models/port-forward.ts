import type { WireError } from '../errors';

/** What the user asked to forward to. */
export interface ForwardTargetRef {
  kind: 'pod' | 'service';
  name: string;
}

/** One running forward, as the Forwards list shows it; a stopped forward leaves the list. */
export interface ForwardInfo {
  id: string;
  context: string;
  namespace: string;
  target: ForwardTargetRef;
  /** The remote port as given: a number, or a named port of the pod or Service. */
  remotePort: number | string;
  /** The 127.0.0.1 port it listens on. */
  localPort: number;
  /** `http://127.0.0.1:PORT`, what Open opens. */
  url: string;
  /** The pod connections go to now (a Service's pod changes when it is replaced). */
  pod?: string;
  /** The container port on that pod. */
  podPort?: number;
  /** TCP connections open now, and accepted in all. */
  openConnections: number;
  totalConnections: number;
  /** Bytes sent to the pod and received from it. */
  bytesSent: number;
  bytesReceived: number;
  /** The last connection's failure (pod gone, port not listening); the forward keeps listening. */
  lastError?: WireError & { at: string };
  startedAt: string;
}
