/**
 * Runs a consented exec credential plugin (client.authentication.k8s.io) and hands out what it
 * printed. client-node's ExecAuth spawns the plugin with no deadline and never kills it: a
 * plugin waiting on a login prompt or a dead network held its process forever, and every
 * request started one more. Slipway runs the plugin itself, asynchronously, in a process group
 * of its own, and kills the whole group when the deadline passes.
 */
import { execa } from 'execa';
import { AppError } from '../../shared/errors';
import type { KubeconfigUser } from './kubeconfig-schema';

/** The exec stanza as consent covers it (see `execStanza` in exec-consent.ts). */
export type ExecStanza = NonNullable<KubeconfigUser['exec']>;

/** kubectl gives a plugin no fixed limit; 30 s matches the request deadline of every other call. */
export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;

/** A plugin's output is a small JSON document; more than this is not a credential. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;

/** What a plugin printed, reduced to what goes on a connection. */
export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Epoch milliseconds after which the plugin runs again; null: valid for the client's life. */
  expiresAt: number | null;
}

/** The command line as the user would type it, for messages. */
function commandLine(exec: ExecStanza): string {
  return [exec.command, ...(exec.args ?? [])].join(' ');
}

function failed(exec: ExecStanza, contextName: string, why: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('EXEC_PLUGIN_FAILED', `${contextName}: the credential plugin "${commandLine(exec)}" ${why}`, {
    fix: `Run "${commandLine(exec)}" in a terminal to see what it needs (a login, a network, a newer version).`,
    details: { command: exec.command, ...details },
  });
}

/**
 * Parses a plugin's stdout as an ExecCredential (v1 or v1beta1). It must be of the apiVersion
 * the stanza asks for (as kubectl insists) and carry a token or a client certificate with its key.
 * Throws `EXEC_PLUGIN_FAILED` naming the command for anything else.
 */
export function parseExecCredential(stdout: string, exec: ExecStanza, contextName: string): ExecCredential {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    const shown = stdout.trim().slice(0, 80);
    throw failed(exec, contextName, `printed no ExecCredential JSON${shown ? ` (it printed "${shown}")` : ' (it printed nothing)'}.`, { reason: 'invalid-output' });
  }
  const obj = (doc ?? {}) as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  if (obj.kind !== 'ExecCredential' || !API_VERSIONS.includes(obj.apiVersion as (typeof API_VERSIONS)[number])) {
    throw failed(exec, contextName, `printed ${String(obj.kind ?? 'an object')} of apiVersion ${String(obj.apiVersion ?? '(none)')}, not an ExecCredential of ${API_VERSIONS.join(' or ')}.`, { reason: 'invalid-output' });
  }
  if (exec.apiVersion && obj.apiVersion !== exec.apiVersion) {
    throw failed(exec, contextName, `answered in ${String(obj.apiVersion)}, but the kubeconfig asks for ${exec.apiVersion}.`, { reason: 'invalid-output' });
  }
  const status = obj.status ?? {};
  const text = (key: string) => (typeof status[key] === 'string' && status[key] !== '' ? (status[key] as string) : undefined);
  const token = text('token');
  const clientCertificateData = text('clientCertificateData');
  const clientKeyData = text('clientKeyData');
  if (Boolean(clientCertificateData) !== Boolean(clientKeyData)) {
    throw failed(exec, contextName, 'printed a client certificate without its key (or a key without its certificate).', { reason: 'invalid-output' });
  }
  if (!token && !clientCertificateData) {
    throw failed(exec, contextName, 'printed an ExecCredential with neither a token nor a client certificate.', { reason: 'invalid-output' });
  }
  let expiresAt: number | null = null;
  if (status.expirationTimestamp !== undefined) {
    expiresAt = Date.parse(String(status.expirationTimestamp));
    if (Number.isNaN(expiresAt)) {
      throw failed(exec, contextName, `printed an expirationTimestamp that is not a time ("${String(status.expirationTimestamp)}").`, { reason: 'invalid-output' });
    }
  }
  return { token, clientCertificateData, clientKeyData, expiresAt };
}

/** POSIX gives the plugin a process group of its own, so its children can be killed with it. */
const OWN_GROUP = process.platform !== 'win32';

function kill(child: { pid?: number; kill(signal: NodeJS.Signals): boolean }): void {
  try {
    // The negative pid is the plugin's process group: a shell script's children die with it.
    if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs the plugin once with exactly the command, arguments and env entries that were consented
 * (env entries over the backend's environment, as kubectl and client-node do), no stdin, and
 * `KUBERNETES_EXEC_INFO` as kubectl sets it. Past `timeoutMs`, or when `signal` aborts, the
 * plugin's whole process group is killed and `TIMEOUT` (or `CANCELLED`) is thrown; a plugin that
 * cannot start, exits non-zero or prints no credential throws `EXEC_PLUGIN_FAILED`.
 */
export async function runExecPlugin(exec: ExecStanza, contextName: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ExecCredential> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const apiVersion = exec.apiVersion ?? API_VERSIONS[0];
  const env: Record<string, string> = {
    KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } }),
  };
  for (const { name, value } of exec.env ?? []) env[name] = value;
  const child = execa(exec.command, exec.args ?? [], {
    env,
    extendEnv: true,
    stdin: 'ignore',
    detached: OWN_GROUP,
    reject: false,
    maxBuffer: MAX_OUTPUT_BYTES,
    encoding: 'utf8',
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
  });
  // The deadline does not wait for the plugin to go: a grandchild that left the group could hold
  // its stdout open, and waiting for that would be the hang over again.
  const outcome = await Promise.race([child.then((result) => ({ result })), stopped]).finally(() => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  });
  if (typeof outcome === 'string') {
    kill(child);
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.catch(() => {});
    if (outcome === 'cancelled') throw new AppError('CANCELLED', `${contextName}: the credential plugin "${commandLine(exec)}" was stopped.`);
    throw new AppError('TIMEOUT', `${contextName}: the credential plugin "${commandLine(exec)}" did not answer within ${timeoutMs / 1000} s and was stopped.`, {
      fix: `Run "${commandLine(exec)}" in a terminal to see what it waits for (a login prompt, a network call).`,
      details: { command: exec.command, pid: child.pid, timeoutMs },
    });
  }
  const { result } = outcome;
  if (result.isMaxBuffer) throw failed(exec, contextName, `printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB, which is no credential.`, { reason: 'invalid-output' });
  if (result.code === 'ENOENT') throw failed(exec, contextName, 'was not found.', { reason: 'not-found' });
  if (result.failed) {
    const said = String(result.stderr ?? '').trim().split('\n').slice(-3).join(' ').slice(0, 300);
    const how = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : result.signal ? `was killed by ${result.signal}` : 'failed to run';
    throw failed(exec, contextName, `${how}${said ? `: ${said}` : '.'}`, { reason: 'exit', exitCode: result.exitCode, signal: result.signal });
  }
  return parseExecCredential(String(result.stdout), exec, contextName);
}

/**
 * One context's exec credential: runs the plugin when there is no valid credential, shares one
 * run among concurrent callers, and keeps the answer until its `expirationTimestamp` (or, with
 * none, until {@link invalidate}, as after a 401). `gate` runs before every run of the plugin,
 * so a consent revoked since the last run stops the next one.
 */
export class ExecCredentialSource {
  private cached: ExecCredential | null = null;
  private inFlight: Promise<ExecCredential> | null = null;
  private readonly stop = new AbortController();

  constructor(
    readonly exec: ExecStanza,
    private readonly contextName: string,
    private readonly gate: () => void = () => {},
    private readonly timeoutMs = DEFAULT_EXEC_TIMEOUT_MS,
  ) {}

  /** A valid credential; runs the plugin (after the gate) when none is cached. */
  get(now = Date.now()): Promise<ExecCredential> {
    if (this.cached && (this.cached.expiresAt === null || this.cached.expiresAt > now)) return Promise.resolve(this.cached);
    this.cached = null;
    if (this.inFlight) return this.inFlight;
    this.gate();
    const run = runExecPlugin(this.exec, this.contextName, { timeoutMs: this.timeoutMs, signal: this.stop.signal })
      .then((credential) => {
        if (this.inFlight === run) this.cached = credential;
        return credential;
      })
      .finally(() => {
        if (this.inFlight === run) this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  /** Forgets the credential (the server rejected it): the next {@link get} runs the plugin again. */
  invalidate(): void {
    this.cached = null;
  }

  /** Kills a plugin still running and forgets the credential. */
  dispose(): void {
    this.stop.abort();
    this.cached = null;
  }
}

/** Puts a credential on request options as client-node would: cert/key for TLS, token as a bearer header. */
export function applyExecCredential(options: { cert?: unknown; key?: unknown; headers?: unknown }, credential: ExecCredential): void {
  if (credential.clientCertificateData) {
    options.cert = credential.clientCertificateData;
    options.key = credential.clientKeyData;
  }
  if (credential.token) {
    options.headers = { ...((options.headers as Record<string, unknown> | undefined) ?? {}), Authorization: `Bearer ${credential.token}` };
  }
}
