import { useState } from 'react';
import { useCall, useTask } from '../../rpc/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatRef } from '../../../shared/models/promote';
import type { AppError } from '../../../shared/errors';
import { asAppError, useClient } from '../../rpc/client';

/** Step 1: a shipped sample, a folder path on the backend's machine, or a capture of a live namespace. */
export function BundlePicker({ bundle, onChange, contexts }: { bundle: string; onChange(path: string): void; contexts: string[] }) {
  const samples = useCall('promote.listSamples', {});
  const loaded = useCall('promote.loadBundle', { path: bundle || '.' }, { enabled: Boolean(bundle) });
  const [captureFrom, setCaptureFrom] = useState('');
  const [namespace, setNamespace] = useState('');
  const capture = useTask('promote.capture');
  const client = useClient();
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<AppError>();
  const stagePasted = async () => {
    setPasteError(undefined);
    try {
      onChange((await client.call('promote.stagePastedYaml', { yaml: pasted })).path);
    } catch (e) {
      setPasteError(asAppError(e));
    }
  };
  const runCapture = async () => {
    const result = await capture.start({ context: captureFrom || contexts[0] || '', namespace });
    if (result) onChange(result.dir);
  };
  return (
    <fieldset className="promote-step" aria-label="Bundle">
      <legend>1. Bundle</legend>
      <div className="field">
        <label htmlFor="promote-sample">Sample</label>
        <select id="promote-sample" value={samples.data?.some((s) => s.path === bundle) ? bundle : ''} onChange={(e) => e.target.value && onChange(e.target.value)}>
          <option value="">— pick a sample —</option>
          {samples.data?.map((s) => (
            <option key={s.path} value={s.path}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="promote-bundle">Folder, manifest file or kustomization</label>
        <input id="promote-bundle" value={bundle} spellCheck={false} onChange={(e) => onChange(e.target.value)} placeholder="/path/to/manifests" />
      </div>
      <details>
        <summary>Capture from a cluster…</summary>
        <div className="toolbar">
          <select aria-label="Capture from context" value={captureFrom} onChange={(e) => setCaptureFrom(e.target.value)}>
            {contexts.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <input aria-label="Namespace to capture" value={namespace} onChange={(e) => setNamespace(e.target.value)} placeholder="namespace" />
          <button type="button" onClick={runCapture} disabled={!namespace || capture.running || contexts.length === 0}>
            {capture.running ? 'Capturing…' : 'Capture'}
          </button>
        </div>
        {capture.error && <ErrorNotice error={capture.error} />}
      </details>
      <details>
        <summary>Paste YAML…</summary>
        <textarea className="code" aria-label="Pasted YAML" rows={10} spellCheck={false} value={pasted} onChange={(e) => setPasted(e.target.value)} placeholder="apiVersion: apps/v1&#10;kind: Deployment&#10;…" />
        <div className="toolbar">
          <button type="button" onClick={() => void stagePasted()} disabled={!pasted.trim()}>
            Use as bundle
          </button>
        </div>
        {pasteError && <ErrorNotice error={pasteError} />}
      </details>
      {bundle && loaded.error && <ErrorNotice error={loaded.error} />}
      {bundle && loaded.data && !loaded.error && (
        <div className="cell-detail" aria-label="Bundle objects">
          {loaded.data.objects.length} objects: {loaded.data.objects.map((o) => formatRef(o.ref)).join(', ')}
        </div>
      )}
    </fieldset>
  );
}
