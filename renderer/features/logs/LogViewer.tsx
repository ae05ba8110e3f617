import { useEffect, useMemo, useRef, useState } from 'react';
import { AppError } from '../../../shared/errors';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useClient } from '../../rpc/client';
import { appendLines, searchLines } from './log-buffer';

/** A pod's log: container choice, follow, search, download. */
export function LogViewer({ context, namespace, pod, containers }: { context: string; namespace: string; pod: string; containers: string[] }) {
  const client = useClient();
  const [container, setContainer] = useState(containers[0] ?? '');
  const [follow, setFollow] = useState(true);
  const [lines, setLines] = useState<string[]>([]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<AppError>();
  const [ended, setEnded] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    setLines([]);
    setError(undefined);
    setEnded(false);
    const params = { context, namespace, pod, ...(container ? { container } : {}), tailLines: 1000 };
    if (!follow) {
      let live = true;
      client.call('kube.getLogs', params).then(
        (r) => live && setLines(r.text.split('\n')),
        (e: AppError) => live && setError(e),
      );
      return () => {
        live = false;
      };
    }
    return client.subscribe(
      'kube.followLogs',
      params,
      (chunk) => {
        if (chunk.type === 'lines') setLines((l) => appendLines(l, chunk.lines));
        else {
          setEnded(true);
          if (chunk.error) setError(AppError.fromWire(chunk.error));
        }
      },
      (e) => setError(e),
    );
  }, [client, context, namespace, pod, container, follow]);
  const shown = useMemo(() => searchLines(lines, query), [lines, query]);
  useEffect(() => {
    if (follow && !query && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown, follow, query]);
  const download = async () => {
    try {
      const r = await client.call('kube.getLogs', { context, namespace, pod, ...(container ? { container } : {}) });
      const url = URL.createObjectURL(new Blob([r.text], { type: 'text/plain' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${pod}${container ? `-${container}` : ''}.log`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e as AppError);
    }
  };
  return (
    <div className="log-viewer" aria-label={`Logs of ${pod}`}>
      <div className="toolbar">
        {containers.length > 1 && (
          <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)}>
            {containers.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        )}
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <input type="search" placeholder="Search log" aria-label="Search log" value={query} onChange={(e) => setQuery(e.target.value)} />
        {query && <span className="muted">{shown.length} matching lines</span>}
        <button type="button" onClick={download}>
          Download
        </button>
        {ended && <span className="muted">stream ended</span>}
      </div>
      {error && <ErrorNotice error={error} />}
      <pre className="log" ref={box} data-testid="log-lines">
        {shown.map((l) => (query ? `${l.n}: ${l.text}` : l.text)).join('\n')}
      </pre>
    </div>
  );
}
