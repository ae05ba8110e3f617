import type { ForwardInfo } from '../../../shared/models/port-forward';
import { formatBytes } from '../../../shared/k8s/quantity';

/** One row of the Forwards table, as text. */
export interface ForwardRowView {
  id: string;
  url: string;
  /** `svc/web:80 → web-7d9f:8080` (the pod once a connection resolved it). */
  target: string;
  where: string;
  traffic: string;
  connections: string;
  error?: { message: string; code: string; at: string };
}

export function forwardRowView(f: ForwardInfo): ForwardRowView {
  const asked = `${f.target.kind === 'service' ? 'svc' : 'pod'}/${f.target.name}:${f.remotePort}`;
  const via = f.target.kind === 'service' && f.pod ? ` → ${f.pod}:${f.podPort}` : f.target.kind === 'pod' && f.podPort !== undefined && f.podPort !== f.remotePort ? ` (port ${f.podPort})` : '';
  return {
    id: f.id,
    url: f.url,
    target: `${asked}${via}`,
    where: `${f.context} / ${f.namespace}`,
    traffic: `↑ ${formatBytes(f.bytesSent)}B ↓ ${formatBytes(f.bytesReceived)}B`,
    connections: `${f.openConnections} open, ${f.totalConnections} in all`,
    ...(f.lastError ? { error: { message: f.lastError.message, code: f.lastError.code, at: f.lastError.at } } : {}),
  };
}

/** The remote port field: digits are a port number, anything else a port name (the server checks it). */
export function remotePortInput(raw: string): number | string {
  const trimmed = raw.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}
