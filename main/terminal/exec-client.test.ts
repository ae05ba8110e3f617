import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../kube/kube-client';
import { openExec, exitCodeOf } from './exec-client';
import { startExecServer, type ExecServer } from './testing/exec-server';

function clientFor(server: string, token: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'loop', server, skipTLSVerify: true }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'loop', cluster: 'loop', user: 'u' }],
    currentContext: 'loop',
  });
  return new KubeClient(kc, 'loop');
}

function run(client: KubeClient, command: string[], opts: { tty?: boolean; input?: string; closeStdin?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  return new Promise<{ stdout: string; stderr: string; code: number | null; error?: string; protocol: string }>((resolve, reject) => {
    let protocol = '';
    openExec(client, { namespace: 'default', pod: 'p', container: 'c', command, tty: opts.tty ?? false }, {
      onOutput: (data, stream) => (stream === 'stdout' ? (stdout += data) : (stderr += data)),
      onExit: (code, error) => resolve({ stdout, stderr, code, error: error?.message, protocol }),
    }).then((session) => {
      protocol = session.protocol;
      session.resize(120, 40);
      if (opts.input) session.write(opts.input);
      if (opts.closeStdin) session.closeStdin();
    }, reject);
  });
}

describe('exec client over the channel.k8s.io protocol (loopback server, real processes)', () => {
  let server: ExecServer;
  let client: KubeClient;

  beforeAll(async () => {
    server = await startExecServer('s3cret');
    client = clientFor(server.url, 's3cret');
  });
  afterAll(async () => {
    client.dispose();
    await server.close();
  });

  it('negotiates v5, separates stdout and stderr, and reports the exit code', async () => {
    const result = await run(client, ['sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
    expect(result).toMatchObject({ protocol: 'v5.channel.k8s.io', stdout: 'to-out\n', stderr: 'to-err\n', code: 3 });
    const url = server.requests.at(-1)!;
    expect(url.pathname).toBe('/api/v1/namespaces/default/pods/p/exec');
    expect(url.searchParams.getAll('command')).toEqual(['sh', '-c', 'echo to-out; echo to-err >&2; exit 3']);
    expect(url.searchParams.get('container')).toBe('c');
  });

  it('sends stdin and closes it (v5), sends resizes, exit 0 is Success', async () => {
    const result = await run(client, ['sh', '-c', 'read line; echo "got $line"; cat; echo done'], { input: 'hello\nrest\n', closeStdin: true });
    expect(result).toMatchObject({ stdout: 'got hello\nrest\ndone\n', code: 0 });
    expect(server.resizes).toContainEqual({ Width: 120, Height: 40 });
  });

  it('with a TTY asks for stderr=false and gets both streams on stdout', async () => {
    const result = await run(client, ['sh', '-c', 'echo a; echo b >&2'], { tty: true });
    expect(result.stdout).toContain('a\n');
    expect(result.stdout).toContain('b\n');
    expect(server.requests.at(-1)!.searchParams.get('stderr')).toBe('false');
  });

  it('a refused upgrade is an AppError with the server status', async () => {
    const bad = clientFor(server.url, 'wrong');
    await expect(run(bad, ['true'])).rejects.toMatchObject({ code: 'UNAUTHORIZED', details: { status: 401 } });
    bad.dispose();
  });

  it('reads exit codes from v4 Status objects', () => {
    expect(exitCodeOf({ status: 'Success' })).toBe(0);
    expect(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '127' }] } })).toBe(127);
    expect(exitCodeOf({ status: 'Failure', message: 'boom' })).toBeNull();
  });
});
