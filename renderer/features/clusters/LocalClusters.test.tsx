import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ClusterListResult } from '../../../shared/models/clusters';
import { ClientContext, type SlipwayClient } from '../../rpc/client';
import { LocalClusters } from './LocalClusters';

HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.removeAttribute('open');
};

const demo = { name: 'demo', provider: 'kwok' as const, contextName: 'kwok-demo', status: 'running' as const, simulated: true, nodes: 3, gpuNodes: 2, gpus: 8 };

function fakeClient(lists: ClusterListResult[]) {
  let n = 0;
  const call = vi.fn(async (name: string) => {
    if (name !== 'clusters.list') throw new Error(`unexpected ${name}`);
    return lists[Math.min(n++, lists.length - 1)];
  });
  const runTask = vi.fn((_name: string, _args: unknown, onProgress: (p: unknown) => void) => {
    onProgress({ phase: 'Stopping the control plane', percent: 20 });
    return { result: Promise.resolve({ deleted: true }), cancel: vi.fn() };
  });
  return { client: { call, runTask } as unknown as SlipwayClient, call, runTask };
}

describe('LocalClusters', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('picks up clusters created elsewhere (the CLI) while the page is open', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { client, call } = fakeClient([{ clusters: [], problems: [] }, { clusters: [demo], problems: [] }]);
    render(
      <ClientContext.Provider value={client}>
        <LocalClusters />
      </ClientContext.Provider>,
    );
    await screen.findByText('No local clusters');
    expect(call).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(15_000);
    expect(await screen.findByRole('table', { name: 'Local clusters' })).toBeTruthy();
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('shows simulated clusters with a badge and deletes only after confirmation', async () => {
    const { client, call, runTask } = fakeClient([{ clusters: [demo], problems: [] }, { clusters: [], problems: [] }]);
    const onChanged = vi.fn();
    render(
      <ClientContext.Provider value={client}>
        <LocalClusters onChanged={onChanged} />
      </ClientContext.Provider>,
    );
    const table = await screen.findByRole('table', { name: 'Local clusters' });
    const row = within(table).getByRole('row', { name: /demo/ });
    expect(within(row).getByText('simulated')).toBeTruthy();
    expect(row.textContent).toContain('8 GPUs on 2 nodes');
    expect(row.textContent).toContain('kwok-demo');

    fireEvent.click(within(row).getByRole('button', { name: 'Delete demo' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete cluster “demo”?' });
    expect(dialog.textContent).toContain('removes the context kwok-demo');
    expect(runTask).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(runTask).toHaveBeenCalledWith('clusters.delete', { provider: 'kwok', name: 'demo' }, expect.any(Function));
    expect(await screen.findByText('No local clusters')).toBeTruthy();
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('cancelling the dialog deletes nothing', async () => {
    const { client, runTask } = fakeClient([{ clusters: [demo], problems: [] }]);
    render(
      <ClientContext.Provider value={client}>
        <LocalClusters />
      </ClientContext.Provider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Delete demo' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(runTask).not.toHaveBeenCalled();
  });

  it('stops a running cluster, starts it again, and shows what the start changed', async () => {
    const stopped = { ...demo, status: 'stopped' as const };
    const lists = [{ clusters: [demo], problems: [] }, { clusters: [stopped], problems: [] }, { clusters: [demo], problems: [] }];
    let n = 0;
    const note = 'Port 32764 (kube-apiserver) was in use, so the cluster now uses 32750; context kwok-demo now points at https://127.0.0.1:32750.';
    const call = vi.fn(async (name: string, args: unknown) => {
      if (name === 'clusters.list') return lists[Math.min(n++, lists.length - 1)];
      if (name === 'clusters.stop') return { stopped: true };
      if (name === 'clusters.start') return { started: true, notes: [note] };
      throw new Error(`unexpected ${name} ${JSON.stringify(args)}`);
    });
    const onChanged = vi.fn();
    render(
      <ClientContext.Provider value={{ call, runTask: vi.fn() } as unknown as SlipwayClient}>
        <LocalClusters onChanged={onChanged} />
      </ClientContext.Provider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Stop demo' }));
    expect(call).toHaveBeenCalledWith('clusters.stop', { provider: 'kwok', name: 'demo' });
    fireEvent.click(await screen.findByRole('button', { name: 'Start demo' }));
    expect(call).toHaveBeenCalledWith('clusters.start', { provider: 'kwok', name: 'demo' });
    expect((await screen.findByRole('status', { name: 'About demo' })).textContent).toBe(note);
    expect(await screen.findByRole('button', { name: 'Stop demo' })).toBeTruthy();
    expect(onChanged).toHaveBeenCalledTimes(2);
  });

  it('shows why a start failed, with its fix', async () => {
    const stopped = { ...demo, status: 'stopped' as const };
    const call = vi.fn(async (name: string) => {
      if (name === 'clusters.list') return { clusters: [stopped], problems: [] };
      throw Object.assign(new Error('kwokctl could not start cluster "demo" (exit 1).'), { code: 'TOOL_FAILED', fix: 'Read the log lines above.' });
    });
    render(
      <ClientContext.Provider value={{ call, runTask: vi.fn() } as unknown as SlipwayClient}>
        <LocalClusters />
      </ClientContext.Provider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Start demo' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('kwokctl could not start cluster "demo"');
    expect(alert.textContent).toContain('TOOL_FAILED');
    expect(screen.getByRole('button', { name: 'Start demo' })).toHaveProperty('disabled', false);
  });

  it('links Create cluster to the create page and lists provider problems', async () => {
    const { client } = fakeClient([{ clusters: [], problems: [{ provider: 'kind', code: 'TOOL_NOT_FOUND', message: 'kind was not found.' }] }]);
    render(
      <ClientContext.Provider value={client}>
        <LocalClusters />
      </ClientContext.Provider>,
    );
    expect(await screen.findByText('kind: kind was not found.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    expect(window.location.hash).toBe('#/clusters/new');
  });
});
