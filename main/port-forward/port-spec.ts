import { AppError } from '../../shared/errors';

/** What to forward to: a pod by name, or a Service resolved to one of its ready pods. */
export interface ForwardTarget {
  kind: 'pod' | 'service';
  name: string;
}

/** A remote port: a number, or a port name (a container port's or a Service port's). */
export type RemotePort = number | string;

export interface PortSpec {
  /** 0 picks a free port. */
  local: number;
  remote: RemotePort;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** IANA_SVC_NAME, what Kubernetes accepts for a port name. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

function portNumber(raw: string, what: string, allowZero: boolean): number {
  if (!/^\d{1,5}$/.test(raw)) throw new AppError('INVALID_ARGUMENT', `The ${what} port "${raw}" is not a number.`, { fix: 'Ports are 1–65535, e.g. 8080:80.' });
  const port = Number(raw);
  if (port > 65535 || (port === 0 && !allowZero)) throw new AppError('INVALID_ARGUMENT', `The ${what} port ${port} is out of range.`, { fix: allowZero ? 'Use 1–65535, or 0 for a free local port.' : 'Use 1–65535.' });
  return port;
}

/** Parses a remote port: a number 1–65535 or a port name (`http`, `metrics`). */
export function parseRemotePort(raw: string): RemotePort {
  if (/^\d+$/.test(raw)) return portNumber(raw, 'remote', false);
  if (!PORT_NAME.test(raw)) throw new AppError('INVALID_ARGUMENT', `"${raw}" is neither a port number nor a port name.`, { fix: 'Give a number (8080) or a named port of the pod or Service (http).' });
  return raw;
}

/**
 * Parses `LOCAL:REMOTE` like kubectl: `8080:80`, `0:80` or `:80` (a free local port), and a lone
 * `8080` (the same port on both ends). REMOTE may be a port name.
 */
export function parsePortSpec(raw: string): PortSpec {
  const parts = raw.split(':');
  if (parts.length > 2 || raw === '') throw new AppError('INVALID_ARGUMENT', `"${raw}" is not LOCAL:REMOTE.`, { fix: 'Write e.g. 8080:80, or 0:80 for a free local port.' });
  if (parts.length === 1) {
    const remote = parseRemotePort(parts[0]!);
    if (typeof remote === 'string') throw new AppError('INVALID_ARGUMENT', `A named port needs a local port: "${raw}".`, { fix: `Write 0:${raw} for a free local port.` });
    return { local: remote, remote };
  }
  const local = parts[0] === '' ? 0 : portNumber(parts[0]!, 'local', true);
  return { local, remote: parseRemotePort(parts[1]!) };
}

/** Parses `pod/NAME`, `svc/NAME` (also `service/`, `pods/`, `services/`) or a bare pod name. */
export function parseTarget(raw: string): ForwardTarget {
  const slash = raw.indexOf('/');
  const type = slash < 0 ? 'pod' : raw.slice(0, slash).toLowerCase();
  const name = slash < 0 ? raw : raw.slice(slash + 1);
  const kind = ['pod', 'pods', 'po'].includes(type) ? 'pod' : ['svc', 'service', 'services'].includes(type) ? 'service' : undefined;
  if (!kind) throw new AppError('INVALID_ARGUMENT', `Cannot forward to "${type}" objects.`, { fix: 'Forward to pod/NAME or svc/NAME.' });
  if (!DNS_LABEL.test(name)) throw new AppError('INVALID_ARGUMENT', `"${name}" is not a valid ${kind} name.`, { fix: `Write ${kind === 'pod' ? 'pod' : 'svc'}/NAME with the name as kubectl lists it.` });
  return { kind, name };
}
