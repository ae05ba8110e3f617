import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { PodRow, ViewBatch } from '../../../shared/models/views';
import { ClientContext, type SlipwayClient } from '../../rpc/client';
import { setSelection } from '../workloads/live/selection';
import { CommandPalette } from './CommandPalette';

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.removeAttribute('open');
};

const pod = (name: string): PodRow => ({ key: `uid-${name}`, section: 'pod', name, namespace: 'default', phase: 'Running', ready: '1/1', restarts: 0, gpus: 0, containers: ['main'] });

/** The RPC client as the palette uses it: contexts.list, and views.watch streaming one snapshot. */
function fakeClient(current = 'kind-lab') {
  const watched: unknown[] = [];
  const call = vi.fn(async (name: string) => {
    if (name !== 'contexts.list') throw new Error(`unexpected ${name}`);
    return { contexts: [...new Set([current, 'kind-lab', 'offline-lab'])].map((name) => ({ name, current: name === current })), problems: [], files: [] };
  });
  const subscribe = vi.fn((name: string, params: { context: string }, onData: (batch: ViewBatch) => void) => {
    if (name !== 'views.watch') throw new Error(`unexpected ${name}`);
    watched.push(params);
    queueMicrotask(() =>
      onData({
        type: 'snapshot',
        rows: [pod('llm-finetune'), pod('eval-7f9c')],
        meta: { context: params.context, live: { context: params.context, state: 'live', watches: 1 }, problems: [], absent: [] },
        at: Date.now(),
      }),
    );
    return () => undefined;
  });
  return { client: { call, subscribe } as unknown as SlipwayClient, watched };
}

function renderPalette(current?: string) {
  const { client, watched } = fakeClient(current);
  render(
    <ClientContext.Provider value={client}>
      <button type="button">elsewhere</button>
      <main id="main" tabIndex={-1} />
      <CommandPalette />
    </ClientContext.Provider>,
  );
  return { watched };
}

const combobox = () => screen.getByRole('combobox', { name: /Go to page/ });
const options = () => within(screen.getByRole('listbox')).getAllByRole('option');
const activeOption = () => document.getElementById(combobox().getAttribute('aria-activedescendant') ?? '')!;
const press = (key: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(document.activeElement ?? document.body, { key, ...init });

describe('CommandPalette', () => {
  beforeEach(() => {
    localStorage.clear();
    setSelection({ contexts: ['kind-lab'], namespace: '' });
    window.location.hash = '#/clusters';
  });
  afterEach(() => cleanup());

  it('opens on Ctrl+K with the input focused, finds a pod by part of its name, moves with arrows and Enter opens its logs', async () => {
    const { watched } = renderPalette();
    expect(screen.queryByRole('dialog')).toBeNull();
    screen.getByRole('button', { name: 'elsewhere' }).focus();
    press('k', { ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    expect(document.activeElement).toBe(combobox());
    // The pods of the watched context are listed while the palette is open.
    expect(watched).toEqual([{ context: 'kind-lab', view: 'pods' }]);

    fireEvent.change(combobox(), { target: { value: 'finet' } });
    await screen.findByRole('option', { name: /^llm-finetune/ });
    expect(options().map((o) => o.querySelector('.palette-title')!.textContent)).toEqual(['llm-finetune', 'Logs of pod llm-finetune', 'Shell in pod llm-finetune']);
    expect(activeOption().textContent).toContain('llm-finetune');
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');
    // The matched letters are marked.
    expect([...options()[0]!.querySelectorAll('mark')].map((m) => m.textContent).join('')).toBe('finet');

    press('ArrowDown');
    expect(activeOption().querySelector('.palette-title')!.textContent).toBe('Logs of pod llm-finetune');
    expect(options()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(options()[0]!.getAttribute('aria-selected')).toBe('false');
    press('ArrowUp');
    press('ArrowUp'); // wraps to the last
    expect(activeOption().querySelector('.palette-title')!.textContent).toBe('Shell in pod llm-finetune');
    press('Home');
    press('ArrowDown');
    press('Enter');

    expect(window.location.hash).toBe('#/workloads/pods/kind-lab/default/llm-finetune/logs');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Escape closes and gives focus back to where it was', async () => {
    renderPalette();
    const before = screen.getByRole('button', { name: 'elsewhere' });
    before.focus();
    press('k', { metaKey: true });
    expect(document.activeElement).toBe(combobox());
    press('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(before);
    expect(window.location.hash).toBe('#/clusters');
  });

  it('opens from the sidebar button, which shows the shortcut; a click on a result runs it', async () => {
    renderPalette();
    const button = screen.getByRole('button', { name: /Go to…/ });
    expect(button.getAttribute('aria-keyshortcuts')).toBe('Control+K Meta+K');
    expect(button.querySelector('kbd')!.textContent).toMatch(/^(Ctrl\+K|⌘K)$/);
    fireEvent.click(button);
    fireEvent.change(combobox(), { target: { value: 'doctor' } });
    fireEvent.click(screen.getByRole('option', { name: /^Doctor/ }));
    expect(window.location.hash).toBe('#/clusters/doctor');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('PageDown, PageUp and End move by pages and to the ends; the last pick comes first next time', async () => {
    renderPalette();
    press('k', { ctrlKey: true });
    // Empty query: pages, then contexts (from contexts.list), then objects.
    await screen.findByRole('option', { name: /Switch to context offline-lab/ });
    const count = options().length;
    expect(count).toBeGreaterThan(9);
    press('PageDown');
    expect(activeOption()).toBe(options()[8]);
    press('PageUp');
    expect(activeOption()).toBe(options()[0]);
    press('End');
    expect(activeOption()).toBe(options()[count - 1]);

    fireEvent.change(combobox(), { target: { value: 'switch offline' } });
    press('Enter');
    expect(screen.queryByRole('dialog')).toBeNull();
    // Switching a context from a non-live page shows the overview of just that context.
    expect(window.location.hash).toBe('#/overview');
    press('k', { ctrlKey: true });
    // Once contexts.list answered, the recent pick leads the list.
    await waitFor(() => expect(options()[0]!.textContent).toContain('Switch to context offline-lab'));
  });

  it('with no context picked yet, lists the pods of the current context', async () => {
    setSelection({ contexts: [] });
    const { watched } = renderPalette('fresh-lab');
    press('k', { ctrlKey: true });
    fireEvent.change(combobox(), { target: { value: 'eval' } });
    // (Views loaded by earlier tests stay for a few seconds: other contexts' pods may be listed too.)
    expect(await screen.findByRole('option', { name: /^eval-7f9c.*fresh-lab$/ })).toBeTruthy();
    expect(watched).toEqual([{ context: 'fresh-lab', view: 'pods' }]);
  });

  it('says what can be searched when nothing matches', async () => {
    renderPalette();
    press('k', { ctrlKey: true });
    fireEvent.change(combobox(), { target: { value: 'qqqzz' } });
    const empty = screen.getByRole('status');
    expect(empty.textContent).toContain('Nothing matches “qqqzz”');
    expect(empty.textContent).toContain('pods, autoscalers, training jobs, claims and nodes');
    expect(combobox().getAttribute('aria-activedescendant')).toBeNull();
    press('Enter');
    expect(screen.getByRole('dialog')).toBeTruthy();
    await act(async () => undefined);
  });
});
