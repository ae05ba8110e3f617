import net from 'node:net';
import { AppError } from '../../shared/errors';

/**
 * Whether nothing listens on a host port: tries to bind it on all interfaces and on loopback (some
 * systems let a wildcard bind share a port a loopback listener holds), then releases it.
 */
export async function isPortFree(port: number): Promise<boolean> {
  return (await canBind(port, '0.0.0.0')) && (await canBind(port, '127.0.0.1'));
}

function canBind(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    // Ports below 1024 need privileges we lack but Docker has: EACCES says nothing about use.
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws PORT_IN_USE naming every busy port, before anything is created. */
export async function requireFreePorts(ports: number[]): Promise<void> {
  const busy: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
  if (busy.length) {
    throw new AppError('PORT_IN_USE', `Host port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} ${busy.length > 1 ? 'are' : 'is'} already in use.`, {
      fix: `Stop what listens there (\`ss -ltnp 'sport = :${busy[0]}'\` shows it), or map other host ports.`,
      details: { busy },
    });
  }
}
