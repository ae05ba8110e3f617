import { useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { asAppError, useClient } from '../../rpc/client';
import type { LocalClusterRow } from './local-clusters';

/** What a start or stop ended with, shown under the table until the next one. */
export type PowerOutcome = { name: string; notes: string[] } | { name: string; error: AppError };

/**
 * Stop for a running cluster, Start for a stopped or degraded one (a kwok cluster whose component
 * crashed is started again as a whole). Disabled while it works; the outcome goes to the page.
 */
export function ClusterPowerButton({ row, onDone }: { row: LocalClusterRow; onDone(outcome: PowerOutcome): void }) {
  const client = useClient();
  const [working, setWorking] = useState(false);
  const action = row.power;
  const run = async () => {
    setWorking(true);
    try {
      const target = { provider: row.provider, name: row.name };
      if (action === 'start') {
        const { notes } = await client.call('clusters.start', target);
        onDone({ name: row.name, notes });
      } else {
        await client.call('clusters.stop', target);
        onDone({ name: row.name, notes: [] });
      }
    } catch (error) {
      onDone({ name: row.name, error: asAppError(error) });
    } finally {
      setWorking(false);
    }
  };
  const label = action === 'start' ? (working ? 'Starting…' : 'Start') : working ? 'Stopping…' : 'Stop';
  return (
    <button type="button" onClick={run} disabled={working} aria-label={`${action === 'start' ? 'Start' : 'Stop'} ${row.name}`}>
      {label}
    </button>
  );
}
