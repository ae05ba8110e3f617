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
  const plugin = {
    kind: 'exec' as const,
    command: '/usr/local/bin/aws',
    args: ['eks', 'get-token', '--cluster-name', 'prod'],
    env: [{ name: 'AWS_PROFILE', value: 'prod admin' }],
    apiVersion: 'client.authentication.k8s.io/v1',
    interactiveMode: 'Never',
    provider: null,
    file: '/home/u/.kube/config',
    key: 'a'.repeat(64),
    consented: false,
  };

  it('names the command, arguments, environment and file, and grants exactly that stanza by its key', async () => {
    const call = vi.fn().mockResolvedValue({ granted: true });
    const onGranted = vi.fn();
    render(
      <ClientContext.Provider value={{ call } as unknown as SlipwayClient}>
        <ExecConsentDialog plugin={plugin} onClose={() => {}} onGranted={onGranted} />
      </ClientContext.Provider>,
    );
    expect(screen.getByTestId('consent-command').textContent).toBe('/usr/local/bin/aws');
    expect(screen.getByTestId('consent-args').textContent).toBe('eks get-token --cluster-name prod');
    expect(screen.getByTestId('consent-env').textContent).toBe("AWS_PROFILE='prod admin'");
    expect(screen.getByText('/home/u/.kube/config')).toBeTruthy();
    expect(call).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Allow and connect' }));
    await waitFor(() => expect(onGranted).toHaveBeenCalled());
    expect(call).toHaveBeenCalledWith('contexts.grantExecConsent', { key: plugin.key });
  });

  it('quotes an argument holding a space, so one argument never reads as two', () => {
    render(
      <ClientContext.Provider value={{ call: vi.fn() } as unknown as SlipwayClient}>
        <ExecConsentDialog plugin={{ ...plugin, args: ['eks get-token'] }} onClose={() => {}} onGranted={() => {}} />
      </ClientContext.Provider>,
    );
    expect(screen.getByTestId('consent-args').textContent).toBe("'eks get-token'");
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
