import { useMemo } from 'react';
import type { CephRow, PvRow, PvcRow, StorageClassRow, StorageRow } from '../../../shared/models/views';
import { StatusBadge } from '../../components/StatusBadge';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { LiveNotice } from '../workloads/live/ContextPicker';
import { phaseTone } from '../workloads/live/format';
import { useView } from '../workloads/live/use-view';
import type { TabProps } from '../workloads/WorkloadsPage';
import { openObject } from '../objects/DetailsLink';

const classColumns: Column<StorageClassRow>[] = [
  { id: 'name', header: 'StorageClass', width: '1.5fr', render: (c) => (c.isDefault ? `${c.name} (default)` : c.name) },
  { id: 'prov', header: 'Provisioner', width: '2fr', render: (c) => c.provisioner },
  { id: 'reclaim', header: 'Reclaim', width: '90px', render: (c) => c.reclaimPolicy },
  { id: 'binding', header: 'Binding mode', width: '180px', render: (c) => c.bindingMode },
  { id: 'expand', header: 'Expansion', width: '90px', render: (c) => (c.allowExpansion ? 'yes' : 'no') },
];

const pvColumns: Column<PvRow>[] = [
  { id: 'name', header: 'PersistentVolume', width: '2fr', render: (v) => v.name },
  { id: 'cap', header: 'Capacity', width: '90px', align: 'end', render: (v) => v.capacity },
  { id: 'modes', header: 'Access', width: '130px', render: (v) => v.accessModes.join(', ') },
  { id: 'class', header: 'Class', width: '1fr', render: (v) => v.storageClass },
  { id: 'phase', header: 'Status', width: '100px', render: (v) => <StatusBadge tone={phaseTone(v.phase)}>{v.phase}</StatusBadge> },
  { id: 'claim', header: 'Claim', width: '2fr', render: (v) => v.claim ?? '' },
  { id: 'reclaim', header: 'Reclaim', width: '80px', render: (v) => v.reclaimPolicy },
];

const pvcColumns: Column<PvcRow>[] = [
  { id: 'name', header: 'Claim', width: '2fr', render: (c) => `${c.namespace}/${c.name}` },
  { id: 'phase', header: 'Status', width: '100px', render: (c) => <StatusBadge tone={phaseTone(c.phase)}>{c.phase}</StatusBadge> },
  { id: 'cap', header: 'Capacity', width: '90px', align: 'end', render: (c) => c.capacity ?? (c.requested ? `${c.requested} asked` : '') },
  { id: 'modes', header: 'Access', width: '130px', render: (c) => c.accessModes.join(', ') },
  { id: 'class', header: 'Class', width: '1fr', render: (c) => c.storageClass ?? '' },
  { id: 'volume', header: 'Volume', width: '1.5fr', render: (c) => c.volume ?? '' },
  { id: 'pods', header: 'Used by', width: '1.5fr', render: (c) => c.pods.join(', ') },
  { id: 'why', header: 'Why pending', width: '3fr', render: (c) => <span title={c.pendingReason}>{c.pendingReason ?? ''}</span> },
];

const cephColumns: Column<CephRow>[] = [
  { id: 'name', header: 'CephCluster', width: '1.5fr', render: (c) => `${c.namespace}/${c.name}` },
  { id: 'health', header: 'Health', width: '130px', render: (c) => <StatusBadge tone={phaseTone(c.health)}>{c.health}</StatusBadge> },
  { id: 'phase', header: 'Phase', width: '100px', render: (c) => c.phase },
  { id: 'msg', header: 'Message', width: '3fr', render: (c) => c.message ?? '' },
];

const h = (n: number) => Math.min(320, 34 * Math.max(1, n) + 4);

/** StorageClasses, PVs, PVCs (with why a claim is pending) and Rook CephCluster health. */
export function StorageTab({ context, namespace }: TabProps) {
  const view = useView<StorageRow>(context, 'storage', namespace);
  const parts = useMemo(() => {
    const by = <S extends StorageRow['section']>(s: S) => view.rows.filter((r) => r.section === s) as Extract<StorageRow, { section: S }>[];
    const byName = <T extends { name: string; namespace?: string }>(a: T, b: T) => (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);
    return { classes: by('class').sort(byName), pvs: by('pv').sort(byName), pvcs: by('pvc').sort(byName), ceph: by('ceph').sort(byName) };
  }, [view.rows]);
  if (view.loading) return <p className="muted">Listing storage…</p>;
  return (
    <>
      <LiveNotice meta={view.meta} />
      <h3>PersistentVolumeClaims</h3>
      {parts.pvcs.length ? <VirtualTable rows={parts.pvcs} columns={pvcColumns} rowKey={(r) => r.key} label={`Claims of ${context}`} height={h(parts.pvcs.length)} onRowClick={(r) => openObject({ context, group: '', kind: 'PersistentVolumeClaim', namespace: r.namespace, name: r.name })} /> : <p className="muted">No claims.</p>}
      <h3>PersistentVolumes</h3>
      {parts.pvs.length ? <VirtualTable rows={parts.pvs} columns={pvColumns} rowKey={(r) => r.key} label={`Volumes of ${context}`} height={h(parts.pvs.length)} onRowClick={(r) => openObject({ context, group: '', kind: 'PersistentVolume', name: r.name })} /> : <p className="muted">No volumes.</p>}
      <h3>StorageClasses</h3>
      {parts.classes.length ? (
        <VirtualTable rows={parts.classes} columns={classColumns} rowKey={(r) => r.key} label={`Storage classes of ${context}`} height={h(parts.classes.length)} onRowClick={(r) => openObject({ context, group: 'storage.k8s.io', kind: 'StorageClass', name: r.name })} />
      ) : (
        <p className="muted">No StorageClasses: claims without a volume will stay Pending.</p>
      )}
      {view.meta?.storage?.cephInstalled && (
        <>
          <h3>Ceph (Rook)</h3>
          {parts.ceph.length ? <VirtualTable rows={parts.ceph} columns={cephColumns} rowKey={(r) => r.key} label={`Ceph clusters of ${context}`} height={h(parts.ceph.length)} /> : <p className="muted">Rook is installed but no CephCluster exists.</p>}
        </>
      )}
    </>
  );
}
