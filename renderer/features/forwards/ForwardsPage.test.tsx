import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AppError } from '../../../shared/errors';
import type { ForwardInfo } from '../../../shared/models/port-forward';
import { ClientContext, type SlipwayClient } from '../../rpc/client';
import { ForwardsPage } from './ForwardsPage';

const forward: ForwardInfo = {
  id: '0b3c8f0e-8a3a-4c1e-9a55-0f1e2d3c4b5a',
  context: 'kind-dev',
  namespace: 'it',
  target: { kind: 'service', name: 'web' },
  remotePort: 80,
  localPort: 41234,
  url: 'http://127.0.0.1:41234',
  pod: 'web-7d9f-abcde',
  podPort: 8080,
  openConnections: 1,
  totalConnections: 3,
  bytesSent: 512,
  bytesReceived: 3 * 1024 * 1024,
  lastError: { code: 'UNAVAILABLE', message: 'error forwarding port 8080: connection refused', at: '2026-12-02T07:00:00.000Z' },
  startedAt: '2026-12-02T06:59:00.000Z',
};

/** A client whose `portForward.onDidChange` the test drives, and whose calls it records. */
function fakeClient(start: (args: unknown) => Promise<ForwardInfo>) {
  let push: (list: ForwardInfo[]) => void = () => undefined;
  const call = vi.fn(async (name: string, args: unknown) => {
    if (name === 'portForward.start') return start(args);
    if (name === 'portForward.stop') return { ok: true };
    throw new Error(`unexpected ${name}`);
  });
  const subscribe = vi.fn((name: string, _params: unknown, onEvent: (p: unknown) => void) => {
    if (name !== 'portForward.onDidChange') throw new Error(`unexpected ${name}`);
    push = onEvent as typeof push;
    return () => undefined;
  });
  return { client: { call, subscribe } as unknown as SlipwayClient, call, push: (list: ForwardInfo[]) => push(list) };
}

function renderPage(client: SlipwayClient, rest: string[] = []) {
  return render(
    <ClientContext.Provider value={client}>
      <ForwardsPage rest={rest} />
    </ClientContext.Provider>,
  );
}

describe('ForwardsPage', () => {
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('lists forwards with the local URL, resolved pod, bytes and last error; Open and Stop act on that row', async () => {
    const { client, call, push } = fakeClient(async () => forward);
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    renderPage(client);
    push([]);
    expect(await screen.findByText('No forwards')).toBeTruthy();
    push([forward]);
    const table = await screen.findByRole('table', { name: 'Forwards' });
    const row = within(table).getByRole('row', { name: /127\.0\.0\.1:41234/ });
    expect(row.textContent).toContain('svc/web:80 → web-7d9f-abcde:8080');
    expect(row.textContent).toContain('kind-dev / it');
    expect(row.textContent).toContain('↑ 512B ↓ 3MiB');
    expect(row.textContent).toContain('1 open, 3 in all');
    expect(row.textContent).toContain('error forwarding port 8080: connection refused');

    fireEvent.click(within(row).getByRole('button', { name: 'Open http://127.0.0.1:41234' }));
    expect(open).toHaveBeenCalledWith('http://127.0.0.1:41234', '_blank', 'noopener,noreferrer');
    fireEvent.click(within(row).getByRole('button', { name: 'Stop http://127.0.0.1:41234' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('portForward.stop', { id: forward.id }));
    push([]);
    expect(await screen.findByText('No forwards')).toBeTruthy();
  });

  it('starts a forward from the form with what was typed (a named port stays a name)', async () => {
    const { client, call, push } = fakeClient(async () => forward);
    renderPage(client, ['start', 'kind-dev', 'it', 'pod', 'web-1']);
    push([]);
    const form = screen.getByRole('form', { name: 'Start a forward' });
    expect((within(form).getByLabelText('Context') as HTMLInputElement).value).toBe('kind-dev');
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('web-1');
    fireEvent.change(within(form).getByLabelText('Remote port'), { target: { value: 'http' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Start forward' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('portForward.start', { context: 'kind-dev', namespace: 'it', target: { kind: 'pod', name: 'web-1' }, remotePort: 'http', localPort: 0 }));

    fireEvent.change(within(form).getByLabelText('Kind'), { target: { value: 'service' } });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'web' } });
    fireEvent.change(within(form).getByLabelText('Remote port'), { target: { value: '80' } });
    fireEvent.change(within(form).getByLabelText('Local port'), { target: { value: '18080' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Start forward' }));
    await waitFor(() => expect(call).toHaveBeenCalledWith('portForward.start', { context: 'kind-dev', namespace: 'it', target: { kind: 'service', name: 'web' }, remotePort: 80, localPort: 18080 }));
  });

  it('shows a refusal at the form, with its fix and code, and the list stays as it was', async () => {
    const { client, push } = fakeClient(async () => {
      throw new AppError('PORT_IN_USE', 'Local port 18080 on 127.0.0.1 is in use.', { fix: 'Choose another local port, or 0 for a free one.' });
    });
    renderPage(client, ['start', 'kind-dev', 'it', 'service', 'web']);
    push([forward]);
    const form = screen.getByRole('form', { name: 'Start a forward' });
    fireEvent.change(within(form).getByLabelText('Remote port'), { target: { value: '80' } });
    fireEvent.change(within(form).getByLabelText('Local port'), { target: { value: '18080' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Start forward' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.textContent).toContain('Local port 18080 on 127.0.0.1 is in use.');
    expect(alert.textContent).toContain('Choose another local port, or 0 for a free one.');
    expect(alert.textContent).toContain('PORT_IN_USE');
    // What was typed stays, so the user changes only the port.
    expect((within(form).getByLabelText('Remote port') as HTMLInputElement).value).toBe('80');
    expect(within(screen.getByRole('table', { name: 'Forwards' })).getAllByRole('row')).toHaveLength(2);
  });
});
