import { useState } from 'react';
import { useCall } from '../../rpc/hooks';
import { navigate } from '../../app/routes';

/**
 * "Deploy to this cluster": a shipped sample opened on the Promote page with this context as
 * the target, so it goes through preflight, diff, apply and the history like any promotion.
 */
export function DeploySample({ context }: { context: string }) {
  const samples = useCall('promote.listSamples', {});
  const [sample, setSample] = useState('');
  const chosen = sample || samples.data?.[0]?.path || '';
  if (!samples.data?.length) return null;
  return (
    <div className="toolbar deploy-sample" aria-label={`Deploy to ${context}`}>
      <span className="muted">Nothing running yet? Try a sample:</span>
      <select aria-label="Sample to deploy" value={chosen} onChange={(e) => setSample(e.target.value)}>
        {samples.data.map((s) => (
          <option key={s.path} value={s.path} title={s.description}>
            {s.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={!chosen} onClick={() => navigate('promote', 'to', context, chosen)}>
        Deploy to this cluster
      </button>
    </div>
  );
}
