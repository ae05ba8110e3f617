import type { KubeContextInfo } from '../../../shared/models/contexts';
import type { BadgeTone } from '../../components/StatusBadge';

/** The status label of a context row: pure, so it is unit-tested without a DOM. */
export function contextStatus(context: KubeContextInfo, probing: boolean): { label: string; tone: BadgeTone } {
  // Credentials over plain HTTP to another machine: refused before anything was sent.
  if (context.plainHttp && context.reachable === null && context.error) return { label: 'refused: plain HTTP', tone: 'error' };
  if (context.exec && !context.exec.consented) return { label: 'needs consent', tone: 'warn' };
  if (context.reachable === true && context.error) return { label: 'credentials rejected', tone: 'warn' };
  if (context.reachable === true) return { label: context.version ? `reachable · ${context.version}` : 'reachable', tone: 'ok' };
  if (context.reachable === false) return { label: 'unreachable', tone: 'error' };
  if (context.error) return { label: 'misconfigured', tone: 'error' };
  return probing ? { label: 'checking…', tone: 'muted' } : { label: 'not checked', tone: 'muted' };
}
