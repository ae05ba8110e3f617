import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyExecCredential, type ExecCredentialSource } from './exec-credential';
import { AppError } from '../../shared/errors';
import { apiUrl, createKubeAgent, parseProxyUrl, tlsFingerprint } from './kube-agent';
import { plainHttpRefusal } from './plain-http';

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Deadline for the whole request (headers and body); every request has one. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface KubeResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

/** A Kubernetes `Status` object as the API server returns it in error bodies. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A small HTTP client for one kubeconfig context. client-node supplies the credentials (TLS
 * material, tokens, exec plugins once consented); this class owns deadlines, cancellation,
 * error mapping and keep-alive, which the watch engine and apply need to control precisely.
 */
export class KubeClient {
  readonly server: URL;
  /** The cluster's `proxy-url`, through which every connection of this client goes. */
  readonly proxy: URL | undefined;
  private agent: http.Agent | undefined;
  /** Streams (watches, log follows) hold a socket each for minutes; they get their own pool. */
  private streamAgent: http.Agent | undefined;
  /** The TLS material the agents were made with; new material (a rotated certificate) makes new agents. */
  private agentFingerprint = '';
  /** Agents of rotated-out material: their open streams run on, and they are closed at dispose. */
  private readonly retiredAgents: http.Agent[] = [];

  constructor(
    private readonly kc: KubeConfig,
    readonly contextName: string,
    /** Runs before every credential lookup; throws when the credential plugin may not run. */
    private readonly credentialGate: () => void = () => {},
    /** The context's exec credential plugin, which Slipway runs itself (client-node gets no exec). */
    private readonly execCredential?: ExecCredentialSource,
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new AppError('KUBECONFIG_INVALID', `Context "${contextName}" has no cluster.`);
    // Before any credential is read or any plugin runs: none of them goes over clear text to another machine.
    const user = kc.getCurrentUser() ?? undefined;
    const refusal = plainHttpRefusal(contextName, cluster.server, execCredential ? { ...user, exec: execCredential.exec } : user);
    if (refusal) throw refusal;
    try {
      this.server = new URL(cluster.server);
    } catch {
      throw new AppError('KUBECONFIG_INVALID', `Context "${contextName}" has an invalid server URL "${cluster.server}".`, {
        fix: 'Fix the cluster.server field in the kubeconfig.',
      });
    }
    this.proxy = parseProxyUrl(cluster.proxyUrl, contextName);
  }

  get defaultNamespace(): string {
    return this.kc.getContextObject(this.contextName)?.namespace || 'default';
  }

  /** Sends a request and parses a JSON body; non-2xx answers throw an {@link AppError}. */
  async request<T>(req: KubeRequest): Promise<KubeResponse<T>> {
    const res = await this.open(req);
    const text = await readBody(res, req);
    const status = res.statusCode ?? 0;
    let body: unknown = text;
    if (text && (res.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (status === 401) this.execCredential?.invalidate();
    if (status < 200 || status >= 300) throw kubeError(this.contextName, req, status, res.headers, body);
    return { status, headers: res.headers, body: body as T };
  }

  /**
   * Opens a streaming request (watch, logs). The caller consumes and destroys the response; the
   * deadline applies to the response headers only. Non-2xx answers throw.
   */
  async stream(req: KubeRequest): Promise<IncomingMessage> {
    const res = await this.open(req, { headersOnlyDeadline: true });
    const status = res.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const text = await readBody(res, req).catch(() => '');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep text
      }
      if (status === 401) this.execCredential?.invalidate();
      throw kubeError(this.contextName, req, status, res.headers, body);
    }
    return res;
  }

  /**
   * TLS material and auth headers for connections this client does not make itself (the exec
   * WebSocket). Goes through the same credential path, so exec consent still applies upstream.
   */
  async connectionOptions(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<https.RequestOptions> {
    const options: https.RequestOptions = { headers: {} };
    this.credentialGate();
    await withDeadline(this.applyCredentials(options), timeoutMs, () =>
      new AppError('TIMEOUT', `${this.contextName}: the credential plugin did not answer within ${timeoutMs / 1000} s.`),
    );
    return options;
  }

  dispose(): void {
    this.execCredential?.dispose();
    this.agent?.destroy();
    this.streamAgent?.destroy();
    for (const agent of this.retiredAgents.splice(0)) agent.destroy();
  }

  /** client-node's TLS material and static credentials, then the exec plugin's answer over them. */
  private async applyCredentials(options: https.RequestOptions): Promise<void> {
    await this.kc.applyToHTTPSOptions(options);
    if (this.execCredential) applyExecCredential(options, await this.execCredential.get());
  }

  private async open(req: KubeRequest, mode: { headersOnlyDeadline?: boolean } = {}): Promise<IncomingMessage> {
    const options: https.RequestOptions = { headers: {} };
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.credentialGate();
    // Credentials may come from an exec plugin; one that hangs must not outlive the deadline.
    const credentials = this.applyCredentials(options).catch((error: unknown) => {
      if (error instanceof AppError) throw error;
      throw new AppError('UNAUTHORIZED', `${this.contextName}: getting credentials failed: ${(error as Error).message.split('\n')[0]}`, {
        fix: 'Check the credential plugin or certificate files named in the kubeconfig.',
        cause: error,
      });
    });
    await withDeadline(credentials, timeoutMs, () =>
      new AppError('TIMEOUT', `${this.contextName}: the credential plugin did not answer within ${timeoutMs / 1000} s.`, {
        fix: 'Run the plugin by hand to see what it waits for (a login prompt, a network call).',
      }),
    );
    const url = apiUrl(this.server, req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const isHttps = url.protocol === 'https:';
    const makeAgent = (maxSockets: number) => createKubeAgent({ https: isHttps, tls: options, maxSockets, proxy: this.proxy });
    // client-node re-reads certificate files on every call: a certificate rotated on disk (or
    // a new one from an exec plugin) shows up here, and gets agents of its own.
    const fingerprint = tlsFingerprint(options);
    if (fingerprint !== this.agentFingerprint) {
      this.retiredAgents.push(...[this.agent, this.streamAgent].filter((a): a is http.Agent => a !== undefined));
      // Bounded: a plugin minting a new certificate per call must not grow pools without end.
      while (this.retiredAgents.length > 4) this.retiredAgents.shift()!.destroy();
      this.agent = undefined;
      this.streamAgent = undefined;
      this.agentFingerprint = fingerprint;
    }
    this.agent ??= makeAgent(32);
    // Every open watch pins a socket: sharing the capped pool, 32 watches of one context would
    // starve its LISTs and probes until their deadlines fire. Streams get an uncapped pool.
    this.streamAgent ??= makeAgent(Infinity);
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders),
      Accept: 'application/json',
      'User-Agent': 'slipway',
    };
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const transport = isHttps ? https : http;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = transport.request(url, {
        ...options,
        method: req.method ?? 'GET',
        headers,
        agent: mode.headersOnlyDeadline ? this.streamAgent : this.agent,
      });
      let settled = false;
      const fail = (error: AppError) => {
        if (settled) return;
        settled = true;
        cleanup();
        request.destroy();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new AppError('TIMEOUT', `${this.contextName}: no answer from ${this.server.host} within ${timeoutMs / 1000} s.`, { fix: 'Check that the cluster is running and reachable.', details: { path: req.path } })),
        timeoutMs,
      );
      const onAbort = () => fail(new AppError('CANCELLED', 'The request was cancelled.'));
      const cleanup = () => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
      };
      // The error listener goes first: destroying a request (an already-aborted signal) emits
      // 'socket hang up' on the next tick, and without a listener that is an uncaught exception.
      request.on('error', (error) => fail(networkError(this.contextName, this.server, error)));
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      request.on('response', (res) => {
        if (settled) {
          res.destroy();
          return;
        }
        settled = true;
        if (mode.headersOnlyDeadline) {
          cleanup();
          const onStreamAbort = () => res.destroy(new AppError('CANCELLED', 'The request was cancelled.'));
          req.signal?.addEventListener('abort', onStreamAbort, { once: true });
          res.once('close', () => req.signal?.removeEventListener('abort', onStreamAbort));
          resolve(res);
          return;
        }
        // The body must arrive before the same deadline: re-arm failure on the response.
        const bodyTimer = setTimeout(() => res.destroy(new AppError('TIMEOUT', `${this.contextName}: the answer from ${this.server.host} did not finish within ${timeoutMs / 1000} s.`)), Math.max(1, timeoutMs));
        clearTimeout(timer);
        const onBodyAbort = () => res.destroy(new AppError('CANCELLED', 'The request was cancelled.'));
        req.signal?.removeEventListener('abort', onAbort);
        req.signal?.addEventListener('abort', onBodyAbort, { once: true });
        res.once('close', () => {
          clearTimeout(bodyTimer);
          req.signal?.removeEventListener('abort', onBodyAbort);
        });
        resolve(res);
      });
      request.end(body);
    });
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => AppError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function readBody(res: IncomingMessage, req: KubeRequest): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.once('error', (error) => reject(error instanceof AppError ? error : new AppError('UNAVAILABLE', `Connection lost while reading ${req.path}: ${error.message}`)));
    res.once('close', () => {
      if (!res.complete) reject(new AppError('UNAVAILABLE', `Connection closed while reading ${req.path}.`));
    });
  });
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE']);

export function networkError(contextName: string, server: URL, error: Error): AppError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (error instanceof AppError) return error;
  if (UNREACHABLE_CODES.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : code.toLowerCase();
    return new AppError('CLUSTER_UNREACHABLE', `${contextName}: ${server.host} is unreachable (${what}).`, {
      fix: 'Start the cluster or check the network and the server address.',
      details: { errno: code },
    });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new AppError('CLUSTER_UNREACHABLE', `${contextName}: TLS verification failed (${code}).`, {
      fix: 'Check the certificate-authority of this cluster in the kubeconfig.',
      details: { errno: code },
    });
  }
  return new AppError('CLUSTER_UNREACHABLE', `${contextName}: ${error.message}`, { details: { errno: code } });
}

export function kubeError(contextName: string, req: KubeRequest, status: number, headers: IncomingHttpHeaders, body: unknown): AppError {
  const kubeStatus = (typeof body === 'object' && body !== null ? body : {}) as KubeStatus;
  const message = kubeStatus.message ?? (typeof body === 'string' && body ? body.slice(0, 300) : `HTTP ${status}`);
  const retryAfter = Number(headers['retry-after']);
  const details = {
    status,
    reason: kubeStatus.reason,
    path: req.path,
    method: req.method ?? 'GET',
    ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    ...(kubeStatus.details ? { kubeDetails: kubeStatus.details } : {}),
  };
  switch (status) {
    case 401:
      return new AppError('UNAUTHORIZED', `${contextName}: the credentials were rejected or have expired.`, { fix: 'Log in again or refresh the credentials in the kubeconfig.', details });
    case 403:
      return new AppError('FORBIDDEN', `${contextName}: ${message}`, { fix: 'Ask a cluster admin for the missing permission.', details });
    case 404:
      return new AppError('NOT_FOUND', `${contextName}: ${message}`, { details });
    case 409:
      return new AppError('CONFLICT', `${contextName}: ${message}`, { details });
    case 429:
      return new AppError('UNAVAILABLE', `${contextName}: the API server is throttling requests.`, { fix: 'Slipway retries after the delay the server asked for.', details });
    default:
      return new AppError('KUBE_API_ERROR', `${contextName}: ${message}`, { details });
  }
}
