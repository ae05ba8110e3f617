import { contractTable } from '../../shared/contract';
import { createRpcEndpoint, type RawRpc } from '../../shared/rpc-client';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

const TOKEN_KEY = 'slipway.token';

/**
 * Takes the per-launch token from `?token=` (then removes it from the address bar so it does not
 * linger in history or screenshots) or from this tab's session storage.
 */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * The browser face's transport: one WebSocket to `slipway serve`, reconnecting with backoff.
 * Live subscriptions are re-sent after a reconnect; tasks end with UNAVAILABLE.
 */
export function connectWebSocket(token: string, onState: (state: ConnectionState) => void): RawRpc {
  let socket: WebSocket | undefined;
  let attempt = 0;
  let queue: string[] = [];
  const endpoint = createRpcEndpoint(
    (message) => {
      const text = JSON.stringify(message);
      if (socket?.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    },
    {
      isResumable: (name) => contractTable.get(name)?.kind === 'event',
      // Detachable tasks (apply, rollback) run on through a tunnel blip: re-attach instead of failing.
      isDetachable: (name) => {
        const d = contractTable.get(name);
        return d?.kind === 'task' && Boolean(d.detachable);
      },
    },
  );
  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`);
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      const resumed = attempt > 0;
      attempt = 0;
      onState('open');
      const pending = queue;
      queue = [];
      for (const text of pending) ws.send(text);
      if (resumed) endpoint.reconnected();
    };
    ws.onmessage = (event) => {
      try {
        endpoint.receive(JSON.parse(String(event.data)));
      } catch {
        // A frame that is not JSON is not ours to act on.
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      endpoint.disconnected();
      // A socket refused before it opened on the very first try is almost always a bad token.
      if (!opened && attempt === 0 && !sessionHadOpened) {
        onState('unauthorized');
      } else {
        onState('reconnecting');
      }
      attempt += 1;
      const delay = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2);
      setTimeout(open, delay);
    };
    ws.addEventListener('open', () => (sessionHadOpened = true));
  };
  let sessionHadOpened = false;
  onState('connecting');
  open();
  return endpoint;
}
