import { describe, expect, it } from 'vitest';
import { isPodReady, pickReadyPod, podPortFor, servicePortFor, serviceSelector, type PodLike, type ServiceLike } from './resolve-target';

const pod = (name: string, opts: { created?: string; ready?: boolean; phase?: string; deleting?: boolean; ports?: { name?: string; containerPort: number; protocol?: string }[] } = {}): PodLike => ({
  metadata: { name, creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z', ...(opts.deleting ? { deletionTimestamp: '2026-01-02T00:00:00Z' } : {}) },
  spec: { containers: [{ name: 'main', ports: opts.ports ?? [] }, { name: 'side', ports: [{ name: 'metrics', containerPort: 9100 }] }] },
  status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
});

const service: ServiceLike = {
  metadata: { name: 'web' },
  spec: {
    selector: { app: 'web', tier: 'front' },
    ports: [
      { name: 'http', port: 80, targetPort: 'web' },
      { name: 'admin', port: 9000, targetPort: 9001 },
      { port: 7000 },
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
    ],
  },
};

describe('Service and pod port resolution', () => {
  it('maps a Service port (by number or name) to its target port', () => {
    expect(servicePortFor(service, 80)).toEqual({ port: 80, targetPort: 'web' });
    expect(servicePortFor(service, 'http')).toEqual({ port: 80, targetPort: 'web' });
    expect(servicePortFor(service, 'admin')).toEqual({ port: 9000, targetPort: 9001 });
    // No targetPort: the same number.
    expect(servicePortFor(service, 7000)).toEqual({ port: 7000, targetPort: 7000 });
  });

  it('refuses a port the Service does not have (UDP ones included), listing the ones it has', () => {
    expect(() => servicePortFor(service, 8080)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Service web has no TCP port 8080.', fix: 'Its ports: 80 (http), 9000 (admin), 7000, 53 (dns).' }));
    expect(() => servicePortFor(service, 53)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => servicePortFor(service, 'grpc')).toThrow(expect.objectContaining({ message: 'Service web has no TCP port named "grpc".' }));
  });

  it('resolves a named target port on the chosen pod, in any container', () => {
    const p = pod('web-1', { ports: [{ name: 'web', containerPort: 8080 }] });
    expect(podPortFor(p, 'web')).toBe(8080);
    expect(podPortFor(p, 'metrics')).toBe(9100);
    expect(podPortFor(p, 3000)).toBe(3000);
    expect(() => podPortFor(p, 'grpc')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', message: 'Pod web-1 has no TCP port named "grpc".', fix: 'Its named ports: web=8080, metrics=9100.' }));
    expect(() => podPortFor(pod('web-2', { ports: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }), 'web')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('builds the label selector; a Service without one is refused', () => {
    expect(serviceSelector(service)).toBe('app=web,tier=front');
    expect(() => serviceSelector({ metadata: { name: 'ext' }, spec: { ports: [{ port: 80 }] } })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', fix: 'Forward to one of its backing pods directly: pod/NAME.' }));
  });

  it('picks the oldest ready pod, never a deleting, pending or unready one', () => {
    expect(isPodReady(pod('a'))).toBe(true);
    expect(isPodReady(pod('a', { deleting: true }))).toBe(false);
    expect(isPodReady(pod('a', { phase: 'Pending' }))).toBe(false);
    expect(isPodReady(pod('a', { ready: false }))).toBe(false);
    const pods = [
      pod('new', { created: '2026-03-01T00:00:00Z' }),
      pod('old-deleting', { created: '2026-01-01T00:00:00Z', deleting: true }),
      pod('old-unready', { created: '2026-01-01T00:00:00Z', ready: false }),
      pod('mid-b', { created: '2026-02-01T00:00:00Z' }),
      pod('mid-a', { created: '2026-02-01T00:00:00Z' }),
    ];
    expect(pickReadyPod(pods)?.metadata.name).toBe('mid-a');
    expect(pickReadyPod([pod('x', { ready: false })])).toBeUndefined();
    expect(pickReadyPod([])).toBeUndefined();
  });
});
