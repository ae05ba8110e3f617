import { type KubeObject, uidOf } from '../../shared/k8s/kube-object';
import type { CephRow, PvRow, PvcRow, StorageClassRow } from '../../shared/models/views';
import { asArray, asRecord, byName, eventsFor, str } from './common';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export function storageClassRows(classes: KubeObject[]): StorageClassRow[] {
  return classes
    .map((sc): StorageClassRow => {
      const s = sc as any;
      return {
        key: uidOf(sc),
        section: 'class',
        name: sc.metadata.name,
        provisioner: str(s.provisioner) ?? '?',
        isDefault: DEFAULT_ANNOTATIONS.some((a) => sc.metadata.annotations?.[a] === 'true'),
        reclaimPolicy: str(s.reclaimPolicy) ?? 'Delete',
        bindingMode: str(s.volumeBindingMode) ?? 'Immediate',
        allowExpansion: s.allowVolumeExpansion === true,
      };
    })
    .sort(byName);
}

export function pvRows(pvs: KubeObject[]): PvRow[] {
  return pvs
    .map((pv): PvRow => {
      const spec = asRecord(pv.spec);
      const claim = asRecord(spec.claimRef);
      return {
        key: uidOf(pv),
        section: 'pv',
        name: pv.metadata.name,
        capacity: String(asRecord(spec.capacity).storage ?? '?'),
        accessModes: asArray<string>(spec.accessModes),
        reclaimPolicy: str(spec.persistentVolumeReclaimPolicy) ?? 'Retain',
        storageClass: str(spec.storageClassName) ?? '',
        phase: str(asRecord(pv.status).phase) ?? 'Unknown',
        ...(str(claim.name) ? { claim: `${claim.namespace ?? ''}/${claim.name}` } : {}),
      };
    })
    .sort(byName);
}

/** Which pods mount each claim: "namespace/claim" → pod names. */
function podsByClaim(pods: KubeObject[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pod of pods) {
    for (const volume of asArray(asRecord(pod.spec).volumes)) {
      const claim = str(asRecord(volume?.persistentVolumeClaim).claimName);
      if (!claim) continue;
      const key = `${pod.metadata.namespace}/${claim}`;
      out.set(key, [...(out.get(key) ?? []), pod.metadata.name]);
    }
  }
  return out;
}

/** Why a PVC waits: its newest Warning event, else its newest event, else the binding mode. */
function pendingReason(pvc: KubeObject, events: KubeObject[], classes: StorageClassRow[]): string | undefined {
  const own = eventsFor(events, 'PersistentVolumeClaim', pvc.metadata.name, pvc.metadata.namespace);
  const pick = own.find((e) => e.type === 'Warning') ?? own[0];
  if (pick) return `${pick.reason}: ${pick.message}`;
  const className = str(asRecord(pvc.spec).storageClassName);
  const sc = classes.find((c) => c.name === className);
  if (className && !sc) return `StorageClass "${className}" does not exist`;
  if (sc?.bindingMode === 'WaitForFirstConsumer') return 'Waiting for a pod that uses it (WaitForFirstConsumer)';
  if (!className && !classes.some((c) => c.isDefault)) return 'No storageClassName and no default StorageClass';
  return undefined;
}

export function pvcRows(pvcs: KubeObject[], pods: KubeObject[], events: KubeObject[], classes: StorageClassRow[]): PvcRow[] {
  const users = podsByClaim(pods);
  return pvcs
    .map((pvc): PvcRow => {
      const spec = asRecord(pvc.spec);
      const status = asRecord(pvc.status);
      const phase = str(status.phase) ?? 'Pending';
      const row: PvcRow = {
        key: uidOf(pvc),
        section: 'pvc',
        name: pvc.metadata.name,
        namespace: pvc.metadata.namespace ?? 'default',
        phase,
        accessModes: asArray<string>(status.accessModes ?? spec.accessModes),
        pods: users.get(`${pvc.metadata.namespace}/${pvc.metadata.name}`) ?? [],
      };
      const capacity = asRecord(status.capacity).storage;
      const requested = asRecord(asRecord(spec.resources).requests).storage;
      if (capacity !== undefined) row.capacity = String(capacity);
      if (requested !== undefined) row.requested = String(requested);
      if (str(spec.storageClassName)) row.storageClass = spec.storageClassName;
      if (str(spec.volumeName)) row.volume = spec.volumeName;
      if (phase === 'Pending') {
        const reason = pendingReason(pvc, events, classes);
        if (reason) row.pendingReason = reason;
      }
      return row;
    })
    .sort(byName);
}

/** Rook's CephCluster: status.ceph.health (HEALTH_OK/WARN/ERR) and status.phase. */
export function cephRows(clusters: KubeObject[]): CephRow[] {
  return clusters
    .map((c): CephRow => {
      const status = asRecord(c.status);
      const ceph = asRecord(status.ceph);
      const details = Object.values(asRecord(ceph.details))
        .map((d) => str(asRecord(d).message))
        .filter(Boolean);
      return {
        key: uidOf(c),
        section: 'ceph',
        name: c.metadata.name,
        namespace: c.metadata.namespace ?? '',
        health: str(ceph.health) ?? 'unknown',
        phase: str(status.phase) ?? str(status.state) ?? 'Unknown',
        ...(details.length || str(status.message) ? { message: [str(status.message), ...details].filter(Boolean).join('; ') } : {}),
      };
    })
    .sort(byName);
}
