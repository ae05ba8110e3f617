import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { navigate, useRoute } from '../../app/routes';
import { useCall } from '../../rpc/hooks';
import { setSelection, useSelection } from '../workloads/live/selection';
import { useLoadedViews, useView } from '../workloads/live/use-view';
import { paletteActions } from './palette-actions';
import { buildEntries, searchPalette, type PaletteEntry, type PaletteResult } from './palette-model';
import { loadRecent, rememberPick } from './recent-store';

const PAGE_STEP = 8;

function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** The shortcut as this platform writes it. */
export function paletteShortcut(): string {
  return isMac() ? '⌘K' : 'Ctrl+K';
}

/**
 * Ctrl+K / Cmd+K anywhere (and the button it renders) opens a palette that jumps to pages,
 * contexts, objects of the live views and actions on them. Inside the terminal, Ctrl+K stays the
 * shell's (kill to end of line); Cmd+K and the button still open the palette there.
 */
export function CommandPalette() {
  const [open, setOpen] = useState(false);
  const isOpen = useRef(false);
  const returnFocus = useRef<Element | null>(null);

  const show = useCallback(() => {
    if (isOpen.current) return;
    isOpen.current = true;
    returnFocus.current = document.activeElement;
    setOpen(true);
  }, []);

  // Idempotent: Escape can reach both the input's handler and the dialog's cancel event.
  const close = useCallback(() => {
    if (!isOpen.current) return;
    isOpen.current = false;
    setOpen(false);
  }, []);

  useEffect(() => {
    // Focus goes back once the modal dialog is closed and gone: while it is open, the page behind it is inert.
    if (open || !returnFocus.current) return;
    const previous = returnFocus.current;
    returnFocus.current = null;
    // After a jump the element may be gone with its page: focus the content instead.
    const target = previous instanceof HTMLElement && previous.isConnected && previous !== document.body ? previous : document.getElementById('main');
    target?.focus();
  }, [open]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() !== 'k' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const inTerminal = event.target instanceof Element && event.target.closest('[data-testid="terminal"]');
      if (inTerminal && !event.metaKey) return;
      event.preventDefault();
      event.stopPropagation();
      show();
    };
    // Capture: the terminal and inputs must not swallow the shortcut first.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [show]);

  return (
    <>
      <button type="button" className="palette-button" onClick={show} aria-keyshortcuts="Control+K Meta+K" title="Go to a page, context, object or action">
        <span>Go to…</span>
        <kbd>{paletteShortcut()}</kbd>
      </button>
      {open && <PaletteDialog onClose={close} />}
    </>
  );
}

/** Keeps the pods of a watched context listed while the palette is open, so they can be found by name. */
function WatchPods({ context }: { context: string }) {
  useView(context, 'pods');
  return null;
}

function PaletteDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [recent] = useState(loadRecent);
  const { route } = useRoute();
  const selection = useSelection();
  const contexts = useCall('contexts.list', { probe: false });
  const views = useLoadedViews();
  // Like the live pages on a first visit: with nothing picked yet, the current context's pods.
  const fallback = contexts.data?.contexts.find((c) => c.current)?.name;
  const podContexts = selection.contexts.length ? selection.contexts : fallback ? [fallback] : [];

  const entries = useMemo(
    () => buildEntries({ contexts: (contexts.data?.contexts ?? []).map((c) => c.name), views, actions: paletteActions.list() }),
    [contexts.data, views],
  );
  const results = useMemo(() => searchPalette(entries, query, recent), [entries, query, recent]);
  const current = Math.min(active, Math.max(0, results.length - 1));

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    input.current?.focus();
    return () => {
      if (d?.open) d.close();
    };
  }, []);

  useEffect(() => {
    document.getElementById(`${listId}-${current}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [listId, current, results]);

  const run = (entry: PaletteEntry) => {
    rememberPick(entry.id);
    onClose();
    const t = entry.target;
    if (t.type === 'navigate') {
      if (t.watch) {
        const { context, namespace } = t.watch;
        if (!selection.contexts.includes(context)) setSelection({ contexts: [...selection.contexts, context] });
        // A namespace filter that would hide the object is lifted.
        if (selection.namespace && namespace && selection.namespace !== namespace) setSelection({ namespace: '' });
      }
      navigate(t.route, ...t.rest);
    } else if (t.type === 'switch-context') {
      setSelection({ contexts: [t.context] });
      if (route !== 'overview' && route !== 'workloads') navigate('overview');
    } else {
      t.run();
    }
  };

  const onKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    const last = results.length - 1;
    const moves: Record<string, () => number> = {
      ArrowDown: () => (current >= last ? 0 : current + 1),
      ArrowUp: () => (current <= 0 ? last : current - 1),
      PageDown: () => Math.min(last, current + PAGE_STEP),
      PageUp: () => Math.max(0, current - PAGE_STEP),
      Home: () => 0,
      End: () => last,
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      if (results.length) setActive(move());
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const picked = results[current];
      if (picked) run(picked.entry);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <dialog
      ref={dialog}
      className="dialog palette"
      aria-label="Command palette"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === dialog.current) onClose();
      }}
    >
      {podContexts.map((c) => (
        <WatchPods key={c} context={c} />
      ))}
      <input
        ref={input}
        type="text"
        className="palette-input"
        role="combobox"
        aria-label="Go to page, context, object or action"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length ? optionId(current) : undefined}
        placeholder="Type a page, context, pod, autoscaler, job…"
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label="Results" className="palette-results">
        {results.map((r, i) => (
          <li
            key={r.entry.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'palette-option active' : 'palette-option'}
            data-group={r.entry.group}
            // Keep focus in the input: the click runs the entry, it should not blur first.
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => i !== current && setActive(i)}
            onClick={() => run(r.entry)}
          >
            <span className="palette-title">
              <Highlight result={r} />
            </span>
            {r.entry.detail && <span className="palette-detail">{r.entry.detail}</span>}
          </li>
        ))}
      </ul>
      {results.length === 0 && (
        <div className="palette-empty" role="status">
          <p>{query.trim() ? <>Nothing matches “{query.trim()}”.</> : 'Nothing to show yet.'}</p>
          <p className="muted">
            Search pages (Pods, Doctor, Settings…), contexts to switch to, and the pods, autoscalers, training jobs, claims and nodes of the watched contexts by name —
            then their actions, like “Logs of pod …” or “Shell in pod …”.
          </p>
        </div>
      )}
      <div className="palette-footer muted" aria-hidden="true">
        ↑↓ move · Enter open · Esc close
      </div>
    </dialog>
  );
}

/** The title with its matched characters marked. */
function Highlight({ result }: { result: PaletteResult }) {
  const { title } = result.entry;
  if (!result.positions.length) return <>{title}</>;
  const marked = new Set(result.positions);
  const parts: { text: string; mark: boolean }[] = [];
  for (let i = 0; i < title.length; i++) {
    const mark = marked.has(i);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += title[i];
    else parts.push({ text: title[i]!, mark });
  }
  return (
    <>
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
