import { useEffect, type ComponentType } from 'react';
import { ErrorBoundary } from './ErrorBoundary';
import { ROUTES, navigate, useRoute, type RouteId } from './routes';
import { useConnectionState } from './connection-store';
import { useTheme } from './use-theme';
import { useCall, useSubscription } from '../rpc/hooks';
import { ClustersPage } from '../features/clusters/ClustersPage';
import { OverviewPage } from '../features/overview/OverviewPage';
import { WorkloadsPage } from '../features/workloads/WorkloadsPage';
import { ForwardsPage } from '../features/forwards/ForwardsPage';
import { PromotePage } from '../features/promote/PromotePage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { CommandPalette } from '../features/palette/CommandPalette';
import { ObjectPage } from '../features/objects/ObjectPage';

const PAGES: Record<RouteId, ComponentType<{ rest: string[] }>> = {
  clusters: ClustersPage,
  overview: OverviewPage,
  workloads: WorkloadsPage,
  forwards: ForwardsPage,
  promote: PromotePage,
  settings: SettingsPage,
  object: ObjectPage,
};

/** The shell: navigation, connection banner, theme, and the current page inside an error boundary. */
export function App() {
  const { route, rest } = useRoute();
  const connection = useConnectionState();
  const initial = useCall('settings.get', {});
  const live = useSubscription('settings.onDidChange', {});
  useTheme((live.data ?? initial.data)?.theme);

  useEffect(() => {
    // Ctrl/Cmd + 1..6 jump between sections, like tabs in a browser.
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const target = ROUTES.find((r) => r.key === event.key);
      if (target) {
        event.preventDefault();
        navigate(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const Page = PAGES[route];
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand" aria-label="Slipway">
          <svg className="brand-mark" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
            <path d="M12 2 L12 16 L4 16 Z" fill="currentColor" opacity="0.55" />
            <path d="M13 5 L13 16 L20 16 Z" fill="currentColor" />
            <path d="M3 18 H21 L18 22 H6 Z" fill="currentColor" />
          </svg>
          Slipway
        </div>
        <CommandPalette />
        <ul>
          {ROUTES.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={r.id === route ? 'page' : undefined} title={`${r.label} (Ctrl+${r.key})`}>
                {r.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {connection === 'reconnecting' && (
          <div className="banner warn" role="status">
            Lost the connection to the Slipway backend — reconnecting…
          </div>
        )}
        {connection === 'unauthorized' && (
          <div className="banner error" role="alert">
            The backend refused this page's token. Open the address that <code>slipway serve</code> printed.
          </div>
        )}
        <ErrorBoundary resetKey={`${route}/${rest.join('/')}`}>
          <Page rest={rest} />
        </ErrorBoundary>
      </main>
    </div>
  );
}
