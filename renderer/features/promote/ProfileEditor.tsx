import { useEffect, useState } from 'react';
import { useCall } from '../../rpc/hooks';
import { useClient, asAppError } from '../../rpc/client';
import { ErrorNotice } from '../../components/ErrorNotice';
import type { AppError } from '../../../shared/errors';
import { parseProfileText, profileText, type ProfileParse } from './promote-view';

/** Step 3: pick a saved or example profile and edit it inline (YAML, validated as you type). */
export function ProfileEditor({ text, onChange, savedGeneration = 0 }: { text: string; onChange(text: string): void; /** Bumped when the page saved a profile itself (a Secret choice). */ savedGeneration?: number }) {
  const client = useClient();
  const profiles = useCall('promote.listProfiles', {});
  const { reload } = profiles;
  useEffect(() => {
    if (savedGeneration > 0) reload();
  }, [savedGeneration, reload]);
  const [saveError, setSaveError] = useState<AppError | undefined>();
  const [saved, setSaved] = useState('');
  const parsed: ProfileParse | null = text.trim() ? parseProfileText(text) : null;
  const all = [...(profiles.data?.saved.map((p) => ({ key: `saved:${p.name}`, label: `${p.name} (saved)`, profile: p })) ?? []), ...(profiles.data?.examples.map((e) => ({ key: `example:${e.profile.name}`, label: `${e.profile.name} (example)`, profile: e.profile })) ?? [])];
  const save = async () => {
    if (!parsed?.ok) return;
    setSaveError(undefined);
    try {
      const profile = await client.call('promote.saveProfile', { profile: parsed.profile });
      setSaved(`Saved “${profile.name}” in settings.`);
      profiles.reload();
    } catch (error) {
      setSaveError(asAppError(error));
    }
  };
  return (
    <fieldset className="promote-step" aria-label="Profile">
      <legend>3. Profile</legend>
      <div className="field">
        <label htmlFor="promote-profile">Start from</label>
        <select
          id="promote-profile"
          value=""
          onChange={(e) => {
            const choice = all.find((p) => p.key === e.target.value);
            onChange(choice ? profileText(choice.profile) : '');
            setSaved('');
          }}
        >
          <option value="">— none (no changes) —</option>
          {all.map((p) => (
            <option key={p.key} value={p.key}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="promote-profile-text">Profile (YAML)</label>
        <textarea id="promote-profile-text" className="profile-text" rows={12} spellCheck={false} value={text} onChange={(e) => onChange(e.target.value)} placeholder={'name: gke\nnamespace: ml-prod\nstorageClasses: {standard: premium-rwo}'} />
        {parsed && !parsed.ok && (
          <span className="hint error-text" role="alert">
            {parsed.message}
          </span>
        )}
      </div>
      <div className="toolbar">
        <button type="button" onClick={save} disabled={!parsed?.ok}>
          Save profile
        </button>
        {saved && <span className="muted">{saved}</span>}
      </div>
      {saveError && <ErrorNotice error={saveError} />}
    </fieldset>
  );
}
