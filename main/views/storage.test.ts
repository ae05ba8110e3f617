import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/k8s/kube-object';
import { fixture } from './fixtures/load';
import { cephRows, pvRows, pvcRows, storageClassRows } from './storage';

describe('storage view', () => {
  const data = fixture<Record<string, KubeObject[]>>('storage.json');
  const pods = fixture<KubeObject[]>('pods-gpu.json');
  const classes = storageClassRows(data.classes!);

  it('storage classes: provisioner, default, reclaim policy, binding mode, expansion', () => {
    expect(classes).toEqual([
      { key: 'sc-2', section: 'class', name: 'ceph-block', provisioner: 'rook-ceph.rbd.csi.ceph.com', isDefault: false, reclaimPolicy: 'Retain', bindingMode: 'Immediate', allowExpansion: true },
      { key: 'sc-1', section: 'class', name: 'standard', provisioner: 'rancher.io/local-path', isDefault: true, reclaimPolicy: 'Delete', bindingMode: 'WaitForFirstConsumer', allowExpansion: false },
    ]);
  });

  it('PVs and PVCs: phase, capacity, modes, class, volume, pods; why a claim is pending', () => {
    expect(pvRows(data.pvs!)[0]).toMatchObject({ name: 'pvc-1f2e', capacity: '100Gi', phase: 'Bound', claim: 'ml/dataset', storageClass: 'ceph-block', reclaimPolicy: 'Retain' });
    const claims = pvcRows(data.pvcs!, pods, data.events!, classes);
    expect(claims.find((c) => c.name === 'dataset')).toMatchObject({ phase: 'Bound', capacity: '100Gi', volume: 'pvc-1f2e', pods: ['uses-dataset'], accessModes: ['ReadWriteOnce'] });
    expect(claims.find((c) => c.name === 'checkpoints')!.pendingReason).toBe('ProvisioningFailed: storageclass.storage.k8s.io "fast-nfs" not found');
    expect(claims.find((c) => c.name === 'scratch')!.pendingReason).toBe('WaitForFirstConsumer: waiting for first consumer to be created before binding');
    // No status, no events: still a row, and a reason derived from the (missing) default class.
    expect(claims.find((c) => c.name === 'no-status')).toMatchObject({ phase: 'Pending', accessModes: [], pods: [] });
  });

  it('a pending claim without events explains itself from its class', () => {
    const lonely = { metadata: { name: 'x', namespace: 'ml', uid: 'x' }, spec: { storageClassName: 'standard' }, status: { phase: 'Pending' } } as KubeObject;
    expect(pvcRows([lonely], [], [], classes)[0]!.pendingReason).toBe('Waiting for a pod that uses it (WaitForFirstConsumer)');
    const missing = { metadata: { name: 'y', namespace: 'ml', uid: 'y' }, spec: { storageClassName: 'gone' } } as KubeObject;
    expect(pvcRows([missing], [], [], classes)[0]!.pendingReason).toBe('StorageClass "gone" does not exist');
  });

  it("CephCluster health from Rook's status", () => {
    expect(cephRows(data.ceph!)).toEqual([{ key: 'ceph-1', section: 'ceph', name: 'rook-ceph', namespace: 'rook-ceph', health: 'HEALTH_WARN', phase: 'Ready', message: 'Cluster created successfully; OSD count 1 < osd_pool_default_size 3' }]);
  });
});
