import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ClientContext, type SlipwayClient } from '../../rpc/client';
import { ExecConsentDialog } from './ExecConsentDialog';

// jsdom lacks <dialog> methods; give it the behaviour the browser has.
HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
  this.setAttribute('open', '');
};
HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
  this.removeAttribute('open');
};

describe('ExecConsentDialog', () => {
  afterEach(cleanup);
  const plugin = { kind: 'exec' as const, command: '/usr/local/bin/aws', args: ['eks', 'get-token', '--cluster-name', 'prod'], file: '/home/u/.kube/config', consented: false };

  it('names the command, arguments and file, and grants exactly those', async () => {
    const call = vi.fn().mockResolvedValue({ granted: true });
    const onGranted = vi.fn();
    render(
      <ClientContext.Provider value={{ call } as unknown as SlipwayClient}>
        <ExecConsentDialog plugin={plugin} onClose={() => {}} onGranted={onGranted} />
      </ClientContext.Provider>,
    );
    expect(screen.getByTestId('consent-command').textContent).toBe('/usr/local/bin/aws');
    expect(screen.getByTestId('consent-args').textContent).toBe('eks get-token --cluster-name prod');
    expect(screen.getByText('/home/u/.kube/config')).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Allow and connect' }));
    await waitFor(() => expect(onGranted).toHaveBeenCalled());
    expect(call).toHaveBeenCalledWith('contexts.grantExecConsent', { file: plugin.file, command: plugin.command, args: plugin.args });
  });

  it('grants nothing when the user declines', () => {
    const call = vi.fn();
    const onClose = vi.fn();
    render(
      <ClientContext.Provider value={{ call } as unknown as SlipwayClient}>
        <ExecConsentDialog plugin={plugin} onClose={onClose} onGranted={() => {}} />
      </ClientContext.Provider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Don’t allow' }));
    expect(onClose).toHaveBeenCalled();
    expect(call).not.toHaveBeenCalled();
  });
});
