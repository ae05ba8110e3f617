/**
 * Readiness of an applied object, judged from its live state (pure): a rollout that finished, a
 * bound claim, a job that started. Kinds without a rule return undefined (nothing to wait for).
 */
import type { KubeObject } from '../../shared/k8s/kube-object';

export interface Readiness {
  ready: boolean;
  message: string;
}

export function readinessOf(live: KubeObject): Readiness | undefined {
  const spec = (live.spec ?? {}) as Record<string, any>;
  const status = (live.status ?? {}) as Record<string, any>;
  const generation = Number((live.metadata as Record<string, any>).generation ?? 0);
  const observed = Number(status.observedGeneration ?? 0);
  switch (live.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = Number(spec.replicas ?? 1);
      const updated = Number(status.updatedReplicas ?? 0);
      const available = Number((live.kind === 'Deployment' ? status.availableReplicas : status.readyReplicas) ?? 0);
      if (observed < generation) return { ready: false, message: 'waiting for the controller to see the new spec' };
      if (updated < want) return { ready: false, message: `${updated}/${want} replicas updated` };
      if (available < want) return { ready: false, message: `${available}/${want} replicas available` };
      return { ready: true, message: `rolled out (${available}/${want} available)` };
    }
    case 'DaemonSet': {
      const want = Number(status.desiredNumberScheduled ?? 0);
      const ready = Number(status.numberReady ?? 0);
      if (observed < generation) return { ready: false, message: 'waiting for the controller to see the new spec' };
      return ready >= want ? { ready: true, message: `rolled out (${ready}/${want} ready)` } : { ready: false, message: `${ready}/${want} pods ready` };
    }
    case 'PersistentVolumeClaim':
      if (status.phase === 'Bound') return { ready: true, message: `bound to ${spec.volumeName ?? 'a volume'}` };
      return { ready: false, message: `${status.phase ?? 'Pending'} (not bound yet)` };
    case 'Job': {
      if (Number(status.succeeded ?? 0) > 0 || (status.conditions ?? []).some((c: Record<string, any>) => c.type === 'Complete' && c.status === 'True')) return { ready: true, message: 'completed' };
      const failed = (status.conditions ?? []).find((c: Record<string, any>) => c.type === 'Failed' && c.status === 'True');
      if (failed) return { ready: true, message: `failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim() };
      if (spec.suspend) return { ready: true, message: 'suspended (waiting for admission by a queue)' };
      if (status.startTime || Number(status.active ?? 0) > 0) return { ready: true, message: `started (${status.active ?? 0} active)` };
      return { ready: false, message: 'not started yet' };
    }
    default:
      return undefined;
  }
}
