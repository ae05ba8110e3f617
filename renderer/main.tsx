import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { RawRpc } from '../shared/rpc-client';
import { App } from './app/App';
import { ClientContext, createClient } from './rpc/client';
import { connectWebSocket, takeToken, type ConnectionState } from './rpc/ws-transport';
import { connectionStore } from './app/connection-store';
import { UnauthorizedPage } from './app/UnauthorizedPage';
import './styles/app.css';

declare global {
  interface Window {
    /** Present in the Electron app (preload bridge); absent in a plain browser. */
    slipway?: RawRpc;
  }
}

const root = createRoot(document.getElementById('root')!);

function pickTransport(): RawRpc | null {
  if (window.slipway) {
    connectionStore.set('open');
    return window.slipway;
  }
  const token = takeToken(window.location, window.sessionStorage, window.history);
  if (!token) return null;
  return connectWebSocket(token, (state: ConnectionState) => connectionStore.set(state));
}

const raw = pickTransport();
root.render(
  <StrictMode>
    {raw ? (
      <ClientContext.Provider value={createClient(raw)}>
        <App />
      </ClientContext.Provider>
    ) : (
      <UnauthorizedPage />
    )}
  </StrictMode>,
);
