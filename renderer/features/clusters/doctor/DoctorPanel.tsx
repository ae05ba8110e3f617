import { useState } from 'react';
import { navigate } from '../../../app/routes';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useCall } from '../../../rpc/hooks';
import { ChecksList } from './ChecksList';

/** `slipway doctor` in the app: Docker, cluster tools and GPU passthrough, each with its fix. */
export function DoctorPanel() {
  const [smokeTest, setSmokeTest] = useState(false);
  const report = useCall('doctor.run', { smokeTest });
  const failed = report.data?.checks.filter((c) => c.status === 'fail').length ?? 0;
  return (
    <section aria-labelledby="doctor-title">
      <header className="page-header">
        <h1 id="doctor-title">Doctor</h1>
        <div className="toolbar">
          <button type="button" onClick={() => navigate('clusters')}>
            Back to clusters
          </button>
          <button type="button" onClick={report.reload} disabled={report.loading}>
            {report.loading ? 'Checking…' : 'Check again'}
          </button>
          <button type="button" onClick={() => (smokeTest ? report.reload() : setSmokeTest(true))} disabled={report.loading} title="Starts a container with every GPU and runs nvidia-smi -L in it">
            Run GPU smoke test
          </button>
        </div>
      </header>
      <p className="muted">
        What local kind and k3d clusters with NVIDIA GPUs need on this machine. Simulated clusters need none of it. The same checks run with{' '}
        <code>slipway doctor</code>.
      </p>
      {report.error && <ErrorNotice error={report.error} onRetry={report.reload} />}
      {report.data && (
        <>
          <p role="status">{failed ? `${failed} problem${failed === 1 ? '' : 's'} found.` : 'No problems found.'}</p>
          <ChecksList checks={report.data.checks} label="Doctor checks" />
        </>
      )}
    </section>
  );
}
