import { useId } from 'react';
import type { Theme } from '../../../shared/models/settings';
import { useCall, useSubscription } from '../../rpc/hooks';
import { useClient } from '../../rpc/client';
import { ErrorNotice } from '../../components/ErrorNotice';

/** Appearance and where Slipway keeps its files. */
export function SettingsPage() {
  const client = useClient();
  const info = useCall('app.getInfo', {});
  const initial = useCall('settings.get', {});
  const live = useSubscription('settings.onDidChange', {});
  const settings = live.data ?? initial.data;
  const themeId = useId();
  return (
    <section aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      {initial.error && <ErrorNotice error={initial.error} onRetry={initial.reload} />}
      {settings && (
        <form className="form" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor={themeId}>Theme</label>
            <select
              id={themeId}
              value={settings.theme}
              onChange={(e) => void client.call('settings.update', { theme: e.target.value as Theme })}
            >
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </div>
        </form>
      )}
      {info.data && (
        <dl className="kv">
          <dt>Version</dt>
          <dd>{info.data.version}</dd>
          <dt>Running as</dt>
          <dd>{info.data.face === 'electron' ? 'desktop app' : 'browser mode (slipway serve)'}</dd>
          <dt>Settings folder</dt>
          <dd>
            <code>{info.data.configDir}</code>
          </dd>
        </dl>
      )}
    </section>
  );
}
