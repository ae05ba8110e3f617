import type net from 'node:net';
import WebSocket from 'ws';
import { AppError } from '../../shared/errors';
import type { KubeClient } from '../kube/kube-client';
import { apiUrl } from '../kube/kube-agent';
import { openKubeWebSocket, toWebSocketUrl } from '../kube/kube-websocket';
import { encodeData, PF_CHANNEL, PORT_FORWARD_PROTOCOLS, PortForwardDecoder } from './frames';
import type { ResolvedEndpoint } from './forward-resolver';

/** Above this many bytes queued on the WebSocket, reading from the local socket pauses. */
const HIGH_WATER = 1 << 20;

export interface ConnectionHooks {
  onBytes(sent: number, received: number): void;
  /** The pod side failed: the error channel's text, or a lost WebSocket. */
  onError(error: AppError): void;
}

export function portForwardUrl(server: URL, namespace: string, endpoint: ResolvedEndpoint): URL {
  const url = toWebSocketUrl(apiUrl(server, `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(endpoint.pod)}/portforward`));
  url.searchParams.set('ports', String(endpoint.port));
  return url;
}

/** Opens the `pods/portforward` WebSocket for one TCP connection. */
export function openPortForwardSocket(client: KubeClient, namespace: string, endpoint: ResolvedEndpoint): Promise<WebSocket> {
  return openKubeWebSocket(client, portForwardUrl(client.server, namespace, endpoint), {
    protocols: PORT_FORWARD_PROTOCOLS,
    action: `port-forward to ${endpoint.pod}:${endpoint.port}`,
  });
}

/**
 * Carries one local TCP connection over its WebSocket until either side ends. The channel
 * protocol cannot carry a half-close to the pod, and a client's FIN looks the same whether it
 * still reads or has gone: the local end (FIN) closes the WebSocket, like a full close, so no
 * stream to the pod outlives its client. Frames already on the way still arrive. The pod side
 * closing ends the local socket; the pod side failing destroys it.
 */
export function pipeConnection(socket: net.Socket, ws: WebSocket, hooks: ConnectionHooks): void {
  const decoder = new PortForwardDecoder();
  let errorText = '';
  socket.on('data', (chunk: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    hooks.onBytes(chunk.length, 0);
    ws.send(encodeData(chunk), () => {
      if (socket.isPaused() && ws.bufferedAmount < HIGH_WATER) socket.resume();
    });
    if (ws.bufferedAmount >= HIGH_WATER) socket.pause();
  });
  ws.on('message', (raw: Buffer) => {
    const frame = decoder.decode(raw);
    if (!frame) return;
    if (frame.channel === PF_CHANNEL.data) {
      hooks.onBytes(0, frame.payload.length);
      if (!socket.write(frame.payload)) {
        ws.pause();
        socket.once('drain', () => ws.resume());
      }
    } else if (frame.channel === PF_CHANNEL.error) {
      errorText += frame.payload.toString('utf8');
    }
  });
  ws.on('close', () => {
    if (errorText) {
      hooks.onError(new AppError('UNAVAILABLE', errorText.trim(), { fix: 'Check that the container listens on that port (the error is from the node that runs the pod).' }));
      socket.destroy();
    } else {
      socket.end();
    }
  });
  ws.on('error', (error) => {
    hooks.onError(new AppError('UNAVAILABLE', `The port-forward connection was lost: ${error.message}`));
    socket.destroy();
  });
  socket.on('end', () => {
    if (ws.readyState === WebSocket.OPEN) ws.close();
  });
  socket.on('close', () => {
    if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close();
  });
  // Both ends were paused until every listener was in place.
  ws.resume();
  socket.resume();
}
