/**
 * Plain-HTTP API servers, as kubectl allows them (`kubectl proxy` on http://127.0.0.1:8001,
 * a port-forward, an old insecure port). Nothing on such a connection is encrypted, so
 * credentials go over it only to this machine: to any other address a bearer token, a
 * password or a credential plugin's output would travel in clear text, and Slipway refuses.
 */
import { isIP } from 'node:net';
import { AppError } from '../../shared/errors';

/** Whether a server URL is plain HTTP. */
export function isPlainHttp(server: string): boolean {
  return /^http:\/\//i.test(server.trim());
}

/** localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped): traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./.test(host) || /^(0{1,4}:){7}0{0,3}1$/.test(host);
  return false;
}

/** The credentials of a kubeconfig user that go in a header or come from a program. */
export interface SentCredentials {
  token?: string;
  tokenFile?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  authProvider?: unknown;
}

function sentKinds(user: SentCredentials | undefined): string[] {
  if (!user) return [];
  return [
    user.token || user.tokenFile ? 'a bearer token' : '',
    user.username || user.password ? 'a password' : '',
    user.exec ? "a credential plugin's token" : '',
    user.authProvider ? "an auth provider's token" : '',
  ].filter(Boolean);
}

/**
 * The refusal for a context whose server is plain HTTP to another machine while its user would
 * send credentials; null when the connection is TLS, goes to loopback, or carries none.
 */
export function plainHttpRefusal(contextName: string, server: string, user: SentCredentials | undefined): AppError | null {
  if (!isPlainHttp(server)) return null;
  let host: string;
  try {
    host = new URL(server).hostname;
  } catch {
    return null; // an invalid URL is reported where the client is built
  }
  const kinds = sentKinds(user);
  if (isLoopbackHost(host) || kinds.length === 0) return null;
  return new AppError('INSECURE_CONNECTION', `${contextName}: the server ${server} is plain HTTP to another machine; Slipway does not send ${kinds.join(' or ')} over it in clear text${user?.exec || user?.authProvider ? ', nor run the plugin for it' : ''}.`, {
    fix: 'Use the https:// address of the API server, or reach it through a local `kubectl proxy` (http://127.0.0.1:8001) and a context without credentials.',
    details: { server, credentials: kinds },
  });
}
