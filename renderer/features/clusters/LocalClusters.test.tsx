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
