import { useEffect, useState } from 'react';
import { asAppError, useClient } from '../../rpc/client';
import type { AppError } from '../../../shared/errors';
import { useCall, useTask } from '../../rpc/hooks';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { ApplyResult, DiffResult, PlanResult } from '../../../shared/models/promote';
import { BundlePicker } from './BundlePicker';
import { HistoryPanel } from './HistoryPanel';
import { ProfileEditor } from './ProfileEditor';
import { ApplyView, ChecksView, DiffView, RenderedView } from './ResultsView';
import { parseProfileText, profileText as toProfileText, secretRows, withSecretDecision, type SecretDecision } from './promote-view';
import { SecretChoices } from './SecretChoices';
import { emptyProfile, type PromotionProfile } from '../../../shared/models/promote-profile';

type Last = { kind: 'plan'; plan: PlanResult } | { kind: 'diff'; diff: DiffResult } | { kind: 'apply'; result: ApplyResult } | null;

/**
 * Promotion of a workload bundle to a shared cluster: pick a bundle (or capture one), the target
 * and a profile (editable inline), then preflight, diff and apply with live progress; every
 * promotion lands in the history, where it can be rolled back.
 */
export function PromotePage({ rest = [] }: { rest?: string[] }) {
  const contexts = useCall('contexts.list', { probe: false });
  const names = contexts.data?.contexts.map((c) => c.name) ?? [];
  // `#/promote/to/CONTEXT/BUNDLE`: "Deploy to this cluster" opens here with both filled in.
  const linked = rest[0] === 'to' ? { target: rest[1] ?? '', bundle: rest[2] ?? '' } : undefined;
  const [bundle, setBundle] = useState(linked?.bundle ?? '');
  const [target, setTarget] = useState(linked?.target ?? '');
  useEffect(() => {
    if (!linked) return;
    setTarget(linked.target);
    if (linked.bundle) setBundle(linked.bundle);
  }, [linked?.target, linked?.bundle]); // eslint-disable-line react-hooks/exhaustive-deps
  const [profileText, setProfileText] = useState('');
  const [force, setForce] = useState(false);
  // Off for offline work or a registry behind a VPN: rewritten images are then not looked up.
  const [registryCheck, setRegistryCheck] = useState(true);
  const [last, setLast] = useState<Last>(null);
  const [historyGeneration, setHistoryGeneration] = useState(0);
  const [lastStarted, setLastStarted] = useState<'plan' | 'diff' | 'apply' | 'push'>('plan');
  const plan = useTask('promote.plan');
  const diff = useTask('promote.diff');
  const apply = useTask('promote.apply');
  const push = useTask('promote.pushImages');
  // An apply started before a reload (or by another page) runs on in the backend: follow it.
  const client = useClient();
  const runs = useCall('tasks.listRunning', {});
  const reattach = useTask('tasks.attach');
  const [followed, setFollowed] = useState<string | null>(null);
  useEffect(() => {
    const run = runs.data?.find((r) => r.task === 'promote.apply' && r.state === 'running');
    if (!run || apply.running || reattach.running) return;
    setFollowed(run.runId);
    setLastStarted('apply');
    void reattach.start({ runId: run.runId }).then((r) => {
      setFollowed(null);
      setHistoryGeneration((g) => g + 1);
      if (r) setLast({ kind: 'apply', result: r as ApplyResult });
    });
    // Only when the list arrives: a later apply is followed by its own task.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs.data]);
  const running = plan.running || diff.running || apply.running || reattach.running || push.running;
  const following = reattach.running && followed ? { ...reattach, cancel: () => void client.call('tasks.cancel', { runId: followed }) } : null;
  const active = apply.running ? apply : following ?? (push.running ? push : diff.running ? diff : plan.running ? plan : null);
  const parsed = profileText.trim() ? parseProfileText(profileText) : null;
  const chosenTarget = target || names[0] || '';
  const ready = Boolean(bundle && chosenTarget) && (parsed === null || parsed.ok) && !running;
  const request = { bundle, target: chosenTarget, ...(parsed?.ok ? { profileSpec: parsed.profile } : {}), ...(registryCheck ? {} : { registryCheck: false }) };
  const error = { plan, diff, apply, push }[lastStarted].error;

  const runPlan = async (profileSpec?: PromotionProfile) => {
    setLastStarted('plan');
    const r = await plan.start(profileSpec ? { ...request, profileSpec } : request);
    if (r) setLast({ kind: 'plan', plan: r as PlanResult });
  };
  // A Secret's choice goes into the profile in the editor, is saved under its name (a new
  // "default" when there is none), and preflight runs again with it.
  const [secretError, setSecretError] = useState<AppError | undefined>();
  const [profilesSaved, setProfilesSaved] = useState(0);
  const saveSecretDecision = async (name: string, decision: SecretDecision) => {
    setSecretError(undefined);
    const base = parsed?.ok ? parsed.profile : emptyProfile();
    try {
      const saved = await client.call('promote.saveProfile', { profile: withSecretDecision(base, name, decision) });
      setProfileText(toProfileText(saved));
      setProfilesSaved((n) => n + 1);
      await runPlan(saved);
    } catch (e) {
      setSecretError(asAppError(e));
    }
  };
  const runDiff = async () => {
    setLastStarted('diff');
    const r = await diff.start(request);
    if (r) setLast({ kind: 'diff', diff: r as DiffResult });
  };
  /** Pushes the images preflight found missing in the target registry, then checks again. */
  const runPush = async () => {
    setLastStarted('push');
    const r = await push.start(request);
    if (r) await runPlan();
  };
  const runApply = async () => {
    setLastStarted('apply');
    const r = await apply.start({ ...request, forceConflicts: force });
    setHistoryGeneration((g) => g + 1);
    if (r) setLast({ kind: 'apply', result: r as ApplyResult });
  };

  const shownPlan = last?.kind === 'plan' ? last.plan : last?.kind === 'diff' ? last.diff.plan : null;
  return (
    <section aria-labelledby="promote-title">
      <header className="page-header">
        <h1 id="promote-title">Promote</h1>
      </header>
      <div className="promote-steps">
        <BundlePicker bundle={bundle} onChange={setBundle} contexts={names} />
        <fieldset className="promote-step" aria-label="Target">
          <legend>2. Target</legend>
          <div className="field">
            <label htmlFor="promote-target">Context</label>
            <select id="promote-target" value={chosenTarget} onChange={(e) => setTarget(e.target.value)}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            {names.length === 0 && <span className="hint">No contexts found: add a kubeconfig in Settings.</span>}
          </div>
        </fieldset>
        <ProfileEditor text={profileText} onChange={setProfileText} savedGeneration={profilesSaved} />
      </div>
      <div className="toolbar promote-actions">
        <button type="button" onClick={() => void runPlan()} disabled={!ready}>
          Preflight
        </button>
        <button type="button" onClick={runDiff} disabled={!ready}>
          Diff
        </button>
        <button type="button" className="primary" onClick={runApply} disabled={!ready}>
          Apply
        </button>
        <label className="context-choice">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Take over conflicting fields
        </label>
        <label className="context-choice">
          <input type="checkbox" checked={registryCheck} onChange={(e) => setRegistryCheck(e.target.checked)} /> Check images in the target registry
        </label>
        {active && (
          <button type="button" onClick={active.cancel}>
            Cancel
          </button>
        )}
      </div>
      {active?.progress && (
        <div role="status" aria-label="Promotion progress">
          <div className="progress">
            <div style={{ width: `${active.progress.percent}%` }} />
          </div>
          <p>
            {active.progress.phase}
            {active.progress.message ? ` — ${active.progress.message}` : ''}
          </p>
          {active.log.length > 0 && <pre className="log">{active.log.slice(-12).join('\n')}</pre>}
        </div>
      )}
      {error && !running && <ErrorNotice error={error} />}
      {last?.kind === 'apply' && <ApplyView result={last.result} />}
      {last?.kind === 'apply' && last.result.status === 'blocked' && <ChecksView checks={last.result.checks} />}
      {shownPlan && <ChecksView checks={shownPlan.checks} onPush={runPush} pushDisabled={running} />}
      {shownPlan && (
        <SecretChoices
          rows={secretRows(shownPlan.checks, parsed?.ok ? parsed.profile : null)}
          profileName={parsed?.ok ? parsed.profile.name : null}
          disabled={parsed && !parsed.ok ? 'Fix the profile above first: the choice is saved into it.' : undefined}
          locked={running}
          onSave={saveSecretDecision}
        />
      )}
      {secretError && <ErrorNotice error={secretError} />}
      {last?.kind === 'diff' && <DiffView diff={last.diff} />}
      {shownPlan && <RenderedView plan={shownPlan} />}
      <HistoryPanel generation={historyGeneration} />
    </section>
  );
}
