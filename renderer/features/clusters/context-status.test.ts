import { describe, expect, it } from 'vitest';
import type { KubeContextInfo } from '../../../shared/models/contexts';
import { contextStatus } from './context-status';

const base: KubeContextInfo = { name: 'c', cluster: 'c', server: 'https://x', user: 'u', namespace: 'default', current: false, reachable: null, version: null, error: null, file: '/k', exec: null, plainHttp: false };

describe('contextStatus', () => {
  it('labels each state', () => {
    expect(contextStatus(base, true)).toEqual({ label: 'checking…', tone: 'muted' });
    expect(contextStatus(base, false)).toEqual({ label: 'not checked', tone: 'muted' });
    expect(contextStatus({ ...base, reachable: true, version: 'v1.34.4' }, false)).toEqual({ label: 'reachable · v1.34.4', tone: 'ok' });
    expect(contextStatus({ ...base, reachable: true, error: 'rejected' }, false).label).toBe('credentials rejected');
    expect(contextStatus({ ...base, reachable: false, error: 'refused' }, false)).toEqual({ label: 'unreachable', tone: 'error' });
    expect(contextStatus({ ...base, error: 'cluster "x" is not defined' }, false).label).toBe('misconfigured');
    expect(contextStatus({ ...base, plainHttp: true, server: 'http://10.0.0.5:8080', error: 'c: the server http://10.0.0.5:8080 is plain HTTP to another machine' }, false)).toEqual({ label: 'refused: plain HTTP', tone: 'error' });
    expect(contextStatus({ ...base, plainHttp: true, server: 'http://127.0.0.1:8001', reachable: true, version: 'v1.34.4' }, false)).toEqual({ label: 'reachable · v1.34.4', tone: 'ok' });
    expect(contextStatus({ ...base, exec: { kind: 'exec', command: 'aws', args: [], env: [], apiVersion: null, interactiveMode: null, provider: null, file: '/k', key: 'a'.repeat(64), consented: false }, error: 'exec plugin needs consent' }, false).label).toBe('needs consent');
  });
});
