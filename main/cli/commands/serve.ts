import { AppError } from '../../../shared/errors';
import { allowExecRefused, startServe } from '../../serve';
import type { CliCommand } from '../command';

/** `slipway serve`: the headless browser mode. Runs until interrupted. */
export const serveCommand: CliCommand = {
  path: ['serve'],
  summary: 'Serve the Slipway UI to a browser on 127.0.0.1 (token-protected)',
  usage: 'slipway serve [--port N] [--host 127.0.0.1] [--unsafe-expose [--tls-cert FILE --tls-key FILE] [--allow-shell]] [--json]',
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'unsafe-expose': { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'allow-shell': { type: 'boolean' },
    'renderer-dir': { type: 'string' },
  },
  async run(ctx) {
    if (ctx.flags['allow-exec']) throw allowExecRefused();
    const portFlag = ctx.flags.port as string | undefined;
    const port = portFlag === undefined ? undefined : Number(portFlag);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new AppError('INVALID_ARGUMENT', `--port must be a number from 0 to 65535, not "${portFlag}".`);
    }
    const handle = await startServe({
      services: ctx.services(),
      port,
      host: ctx.flags.host as string | undefined,
      unsafeExpose: Boolean(ctx.flags['unsafe-expose']),
      tlsCert: ctx.flags['tls-cert'] as string | undefined,
      tlsKey: ctx.flags['tls-key'] as string | undefined,
      allowShell: Boolean(ctx.flags['allow-shell']),
      rendererDir: ctx.flags['renderer-dir'] as string | undefined,
    });
    ctx.print({ url: handle.url, host: handle.host, port: handle.port, ...(handle.tlsFingerprint ? { tlsFingerprint: handle.tlsFingerprint } : {}) }, () =>
      [
        `Slipway is serving at ${handle.url}`,
        ...(handle.tlsFingerprint ? [`TLS certificate SHA-256 fingerprint: ${handle.tlsFingerprint}`, 'Check that your browser shows this fingerprint before you trust the certificate.'] : []),
        'Open it in a browser on this machine, or from a laptop through an SSH tunnel:',
        `  ssh -L ${handle.port}:127.0.0.1:${handle.port} THIS-HOST   then open the same URL there.`,
        'Press Ctrl-C to stop.',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    await handle.close();
  },
};
