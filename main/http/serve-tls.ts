import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { runTool } from '../clusters/run-tool';

export interface ServeTls {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 fingerprint of the certificate (`AB:CD:…`), to compare with what the browser shows. */
  fingerprint: string;
  /** Whether this run made the certificate (it is then printed for the user to pin). */
  created: boolean;
  certFile: string;
}

/**
 * The TLS identity of an exposed `slipway serve`: the user's own `--tls-cert/--tls-key`, or a
 * self-signed certificate made once per install under `<configDir>/tls/` (key 0600 in a 0700
 * folder) and reused after, so its fingerprint stays the one the user checked.
 *
 * The certificate is made with the `openssl` command: Node's crypto can make keys but not X.509
 * certificates, and hand-written DER would be more code to trust than a tool every Linux and
 * macOS workstation has. Without openssl, pass your own certificate.
 */
export async function serveTls(options: { configDir: string; certFile?: string; keyFile?: string; hosts: string[]; openssl?: string }): Promise<ServeTls> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) {
      throw new AppError('INVALID_ARGUMENT', '--tls-cert and --tls-key go together.', { fix: 'Pass both, or neither for a self-signed certificate.' });
    }
    return load(options.certFile, options.keyFile, false);
  }
  const dir = path.join(options.configDir, 'tls');
  const certFile = path.join(dir, 'serve.crt');
  const keyFile = path.join(dir, 'serve.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) return load(certFile, keyFile, false);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const names = [...new Set(['localhost', '127.0.0.1', ...options.hosts])];
  const san = names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? `IP:${n.replace(/^\[|\]$/g, '')}` : `DNS:${n}`)).join(',');
  const tmpKey = `${keyFile}.${process.pid}.tmp`;
  const tmpCert = `${certFile}.${process.pid}.tmp`;
  try {
    await runTool(
      options.openssl ?? 'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825', '-subj', '/CN=slipway serve', '-addext', `subjectAltName=${san}`, '-keyout', tmpKey, '-out', tmpCert],
      { timeoutMs: 30_000, label: 'openssl req', fix: 'Install openssl, or pass your own certificate with --tls-cert and --tls-key.' },
    );
  } catch (error) {
    fs.rmSync(tmpKey, { force: true });
    fs.rmSync(tmpCert, { force: true });
    if ((error as AppError).code === 'TOOL_NOT_FOUND' || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('TOOL_NOT_FOUND', 'openssl is needed to make a self-signed certificate for --unsafe-expose.', { fix: 'Install openssl, or pass --tls-cert and --tls-key.' });
    }
    throw error;
  }
  fs.chmodSync(tmpKey, 0o600);
  fs.chmodSync(tmpCert, 0o600);
  fs.renameSync(tmpKey, keyFile);
  fs.renameSync(tmpCert, certFile);
  return load(certFile, keyFile, true);
}

function load(certFile: string, keyFile: string, created: boolean): ServeTls {
  let cert: Buffer;
  let key: Buffer;
  try {
    cert = fs.readFileSync(certFile);
    key = fs.readFileSync(keyFile);
  } catch (error) {
    throw new AppError('INVALID_ARGUMENT', `Cannot read the TLS certificate or key: ${(error as Error).message}`, { fix: 'Check the --tls-cert and --tls-key paths.' });
  }
  let fingerprint: string;
  try {
    fingerprint = new X509Certificate(cert).fingerprint256;
  } catch {
    throw new AppError('INVALID_ARGUMENT', `${certFile} is not a PEM certificate.`, { fix: 'Pass a PEM certificate with --tls-cert.' });
  }
  return { cert, key, fingerprint, created, certFile };
}
