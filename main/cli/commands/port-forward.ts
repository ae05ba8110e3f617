import { AppError } from '../../../shared/errors';
import type { ForwardInfo } from '../../../shared/models/port-forward';
import type { CliCommand } from '../command';
import { parsePortSpec, parseTarget } from '../../port-forward/port-spec';

function describe(f: ForwardInfo): string {
  const target = `${f.target.kind === 'service' ? 'svc' : 'pod'}/${f.target.name}:${f.remotePort}`;
  return `Forwarding ${f.url} -> ${target} (namespace ${f.namespace})`;
}

/**
 * `slipway port-forward`: the Forwards page from a terminal. Runs until Ctrl-C or SIGTERM; a
 * failing connection is reported on stderr and the forward keeps listening.
 */
export const portForwardCommand: CliCommand = {
  path: ['port-forward'],
  summary: 'Forward 127.0.0.1 ports to a pod or a Service (follows a replaced pod)',
  usage: 'slipway port-forward pod/NAME|svc/NAME LOCAL:REMOTE [LOCAL:REMOTE…] --context NAME [-n NS] [--json]   (LOCAL 0 picks a free port)',
  options: { context: { type: 'string' }, namespace: { type: 'string', short: 'n' } },
  async run(ctx) {
    const context = ctx.flags.context;
    if (typeof context !== 'string' || !context) {
      throw new AppError('INVALID_ARGUMENT', 'port-forward needs --context.', { fix: 'Run `slipway contexts` to list them.' });
    }
    const [rawTarget, ...rawSpecs] = ctx.positionals;
    if (!rawTarget || rawSpecs.length === 0) {
      throw new AppError('INVALID_ARGUMENT', 'port-forward needs a target and at least one LOCAL:REMOTE.', { fix: 'e.g. `slipway port-forward svc/web 0:80 --context kind-dev`.' });
    }
    // Everything is parsed before anything listens.
    const target = parseTarget(rawTarget);
    const specs = rawSpecs.map(parsePortSpec);
    const services = ctx.services();
    const namespace = typeof ctx.flags.namespace === 'string' && ctx.flags.namespace ? ctx.flags.namespace : (await services.clients.forContext(context)).defaultNamespace;
    const started: ForwardInfo[] = [];
    try {
      for (const spec of specs) started.push(await services.portForward.start({ context, namespace, target, remotePort: spec.remote, localPort: spec.local }));
    } catch (error) {
      for (const f of started) services.portForward.stop(f.id);
      throw error;
    }
    ctx.print({ forwards: started }, () => [...started.map(describe), 'Press Ctrl-C to stop.'].join('\n'));
    const reported = new Map<string, string | undefined>(started.map((f) => [f.id, undefined]));
    const sub = services.portForward.onDidChange((list) => {
      for (const f of list) {
        if (!reported.has(f.id)) continue;
        const at = f.lastError?.at;
        if (at && at !== reported.get(f.id)) {
          reported.set(f.id, at);
          ctx.stderr.write(`slipway: ${f.url}: [${f.lastError!.code}] ${f.lastError!.message}\n`);
        }
      }
    });
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    sub.dispose();
    for (const f of started) services.portForward.stop(f.id);
  },
};
