import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

// The page saves, reloads profiles and re-runs preflight in turn: on a loaded 2-core machine that
// can take longer than testing-library's 1 s default.
configure({ asyncUtilTimeout: 10_000 });
import { promoteContract, promoteRequestSchema } from '../../../shared/contract/promote';
import type { PlanResult, PreflightCheck } from '../../../shared/models/promote';
import { promotionProfileSchema, type PromotionProfile } from '../../../shared/models/promote-profile';
import { ClientContext, type SlipwayClient } from '../../rpc/client';
import { PromotePage } from './PromotePage';

/**
 * A backend for the Promote page: profiles are kept as settings keep them (validated by the
 * contract's own zod schema, replaced by name), and `promote.plan` reports the bundle's Secrets
 * as preflight does — those the profile neither leaves out nor maps are named in a warning;
 * those it maps show up as a check on the target's Secret.
 */
function backend(bundleSecrets: { namespace: string; name: string }[]) {
  const saved = new Map<string, PromotionProfile>();
  const plans: { profileSpec?: PromotionProfile }[] = [];
  const plan = (args: unknown): PlanResult => {
    const request = promoteRequestSchema.parse(args);
    plans.push(request);
    const secrets = request.profileSpec?.secrets ?? {};
    const carried = bundleSecrets.filter((s) => !(s.name in secrets));
    const checks: PreflightCheck[] = [{ id: 'reachable', title: 'Target reachable', status: 'ok', reason: 'v1.34.4' }];
    if (carried.length) checks.push({ id: 'secrets', title: 'Secrets in the bundle', status: 'warn', reason: `The bundle carries ${carried.length} Secret(s): ${carried.map((s) => `${s.namespace}/${s.name}`).join(', ')}.`, objects: carried.map((s) => `Secret ${s.namespace}/${s.name}`) });
    for (const [from, to] of Object.entries(secrets)) if (to) checks.push({ id: `secret:ml/${to}`, title: `Secret ml/${to} in the target`, status: 'ok', reason: `ml/${to} exists in the target; the profile maps the bundle's Secret ${from} to it.` });
    return { bundle: { name: 'b', source: { kind: 'folder', path: '/b' } as PlanResult['bundle']['source'], objects: 3 }, profile: request.profileSpec?.name ?? 'default', target: { context: request.target }, rendered: [], checks, ok: true };
  };
  const call = async (name: string, args: unknown) => {
    switch (name) {
      case 'contexts.list':
        return { contexts: [{ name: 'cloud', cluster: 'c', server: 'https://c', user: 'u', namespace: 'default' }], problems: [], files: [] };
      case 'tasks.listRunning':
      case 'promote.listSamples':
      case 'promote.listHistory':
        return [];
      case 'promote.loadBundle':
        return { name: 'b', source: { kind: 'folder', path: '/b' }, objects: [] };
      case 'promote.listProfiles':
        return { saved: [...saved.values()], examples: [{ profile: promotionProfileSchema.parse({ name: 'gke', namespace: 'ml-prod' }), file: '/examples/gke.yaml' }] };
      case 'promote.saveProfile': {
        const { profile } = promoteContract.saveProfile.request.parse(args) as { profile: PromotionProfile };
        saved.set(profile.name, profile);
        return profile;
      }
      default:
        throw new Error(`unexpected call ${name}`);
    }
  };
  const runTask = (name: string, args: unknown, onProgress: (p: unknown) => void) => {
    if (name !== 'promote.plan') throw new Error(`unexpected task ${name}`);
    onProgress({ phase: 'preflight', percent: 50 });
    return { result: Promise.resolve().then(() => plan(args)), cancel: () => {} };
  };
  return { client: { call, runTask } as unknown as SlipwayClient, saved, plans };
}

async function preflightWithGke(client: SlipwayClient) {
  render(
    <ClientContext.Provider value={client}>
      <PromotePage />
    </ClientContext.Provider>,
  );
  fireEvent.change(screen.getByLabelText('Folder, manifest file or kustomization'), { target: { value: '/b' } });
  await screen.findByRole('option', { name: 'gke (example)' });
  fireEvent.change(screen.getByLabelText('Start from'), { target: { value: 'example:gke' } });
  await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Preflight' }).disabled).toBe(false));
  fireEvent.click(screen.getByRole('button', { name: 'Preflight' }));
  return screen.findByRole('region', { name: 'Secrets' });
}

const secretFieldset = (name: string) => screen.getByRole('group', { name: new RegExp(`^Secret ${name}\\b`) });

describe('Secrets on the Promote page', () => {
  afterEach(cleanup);

  it('Leave out saves null into the selected profile and re-runs preflight, which no longer names the Secret', async () => {
    const { client, saved, plans } = backend([
      { namespace: 'ml', name: 'hf-token' },
      { namespace: 'ml', name: 'wandb' },
    ]);
    await preflightWithGke(client);
    expect(screen.getByRole('table', { name: 'Preflight checks' }).textContent).toContain('ml/hf-token');
    const row = secretFieldset('hf-token');
    // Copy is what happens today, and is what the page shows first.
    expect(within(row).getByRole<HTMLInputElement>('radio', { name: /Copy/ }).checked).toBe(true);
    expect(within(row).getByRole<HTMLButtonElement>('button', { name: 'Save for hf-token' }).disabled).toBe(true);

    fireEvent.click(within(row).getByRole('radio', { name: 'Leave out' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Save for hf-token' }));
    await waitFor(() => expect(plans).toHaveLength(2));
    expect(saved.get('gke')).toMatchObject({ name: 'gke', namespace: 'ml-prod', secrets: { 'hf-token': null } });
    // Preflight ran with the saved profile; the editor shows it too.
    expect(plans[1]!.profileSpec).toEqual(saved.get('gke'));
    await waitFor(() => expect(screen.getByRole('table', { name: 'Preflight checks' }).textContent).not.toContain('hf-token'));
    expect(screen.getByRole('table', { name: 'Preflight checks' }).textContent).toContain('ml/wandb');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Profile (YAML)').value).toMatch(/secrets:\n {2}hf-token: null/);
    // The choice stays visible (to be undone), shown as saved.
    expect(within(secretFieldset('hf-token')).getByRole<HTMLInputElement>('radio', { name: 'Leave out' }).checked).toBe(true);

    // Back to Copy: the entry goes, and preflight names the Secret again.
    fireEvent.click(within(secretFieldset('hf-token')).getByRole('radio', { name: /Copy/ }));
    fireEvent.click(within(secretFieldset('hf-token')).getByRole('button', { name: 'Save for hf-token' }));
    await waitFor(() => expect(plans).toHaveLength(3));
    expect(saved.get('gke')!.secrets).toEqual({});
    await waitFor(() => expect(screen.getByRole('table', { name: 'Preflight checks' }).textContent).toContain('ml/hf-token'));
  });

  it('Map to existing Secret refuses a name that is not DNS-1123, then saves a valid one and re-runs preflight', async () => {
    const { client, saved, plans } = backend([{ namespace: 'ml', name: 'hf-token' }]);
    await preflightWithGke(client);
    const row = secretFieldset('hf-token');
    fireEvent.click(within(row).getByRole('radio', { name: /Map to existing Secret/ }));
    const input = within(row).getByRole('textbox', { name: 'Target Secret for hf-token' });
    fireEvent.change(input, { target: { value: 'Prod_Token' } });
    // Enter in the field saves, as the button does: refused, with the reason, and nothing saved.
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((await within(row).findByRole('alert')).textContent).toMatch(/“Prod_Token” is not a Secret name: a Kubernetes object name/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(within(row).getByRole<HTMLButtonElement>('button', { name: 'Save for hf-token' }).disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'a..b' } });
    expect(within(row).getByRole('alert').textContent).toContain('“a..b” is not a Secret name');
    expect(saved.size).toBe(0);
    expect(plans).toHaveLength(1);

    fireEvent.change(input, { target: { value: 'hf-token-prod' } });
    expect(within(row).queryByRole('alert')).toBeNull();
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(plans).toHaveLength(2));
    expect(saved.get('gke')!.secrets).toEqual({ 'hf-token': 'hf-token-prod' });
    expect(plans[1]!.profileSpec!.secrets).toEqual({ 'hf-token': 'hf-token-prod' });
    const checks = screen.getByRole('table', { name: 'Preflight checks' });
    await waitFor(() => expect(checks.textContent).toContain('Secret ml/hf-token-prod in the target'));
    expect(checks.textContent).not.toContain('Secrets in the bundle');
    const after = secretFieldset('hf-token');
    expect(within(after).getByRole<HTMLInputElement>('radio', { name: /Map to existing Secret/ }).checked).toBe(true);
    expect(within(after).getByRole<HTMLInputElement>('textbox', { name: 'Target Secret for hf-token' }).value).toBe('hf-token-prod');
  });

  it('with no profile picked, the choice is saved as a new profile named default', async () => {
    const { client, saved, plans } = backend([{ namespace: 'ml', name: 'hf-token' }]);
    render(
      <ClientContext.Provider value={client}>
        <PromotePage />
      </ClientContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText('Folder, manifest file or kustomization'), { target: { value: '/b' } });
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Preflight' }).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Preflight' }));
    const region = await screen.findByRole('region', { name: 'Secrets' });
    expect(region.textContent).toContain('a new one named default');
    fireEvent.click(within(secretFieldset('hf-token')).getByRole('radio', { name: 'Leave out' }));
    fireEvent.click(within(secretFieldset('hf-token')).getByRole('button', { name: 'Save for hf-token' }));
    await waitFor(() => expect(plans).toHaveLength(2));
    expect(saved.get('default')!.secrets).toEqual({ 'hf-token': null });
    // The profile list picks up the profile the page saved.
    expect(await screen.findByRole('option', { name: 'default (saved)' })).toBeTruthy();
  });
});
