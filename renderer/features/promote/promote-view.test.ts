import { describe, expect, it } from 'vitest';
import { promotionProfileSchema } from '../../../shared/models/promote-profile';
import type { PreflightCheck, PromotionSummary } from '../../../shared/models/promote';
import { changeLine, checkCounts, historyRows, orderChecks, parseProfileText, profileText, secretNameProblem, secretRows, withSecretDecision } from './promote-view';

describe('profile editor text', () => {
  it('round-trips a profile, showing only what differs from the defaults', () => {
    const profile = promotionProfileSchema.parse({ name: 'gke', namespace: 'ml-prod', runtimeClasses: { nvidia: null }, gpu: { nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' } } });
    const text = profileText(profile);
    expect(text).toContain('namespace: ml-prod');
    expect(text).toContain('nvidia: null');
    expect(text).not.toContain('createNamespace');
    expect(parseProfileText(text)).toEqual({ ok: true, profile });
  });

  it('names the line of a YAML or schema problem', () => {
    expect(parseProfileText('name: gke\nhpa:\n  web:\n    maxReplicas: lots\n')).toEqual({ ok: false, line: 4, message: expect.stringMatching(/^line 4: hpa\.web\.maxReplicas: /) });
    expect(parseProfileText('name: gke\nname: again\n')).toMatchObject({ ok: false, line: 2 });
    expect(parseProfileText('')).toMatchObject({ ok: false, message: expect.stringContaining('name') });
  });
});

describe('checks', () => {
  const checks: PreflightCheck[] = [
    { id: 'a', title: 'A', status: 'ok', reason: '' },
    { id: 'b', title: 'B', status: 'warn', reason: '' },
    { id: 'c', title: 'C', status: 'fail', reason: '' },
    { id: 'd', title: 'D', status: 'ok', reason: '' },
  ];
  it('counts and orders failures first', () => {
    expect(checkCounts(checks)).toEqual({ ok: 2, warn: 1, fail: 1 });
    expect(orderChecks(checks).map((c) => c.id)).toEqual(['c', 'b', 'a', 'd']);
  });
});

describe('diff lines and history rows', () => {
  it('formats field changes', () => {
    expect(changeLine({ path: 'spec.replicas', type: 'changed', before: 1, after: 2 })).toBe('~ spec.replicas: 1 → 2');
    expect(changeLine({ path: 'metadata.labels.team', type: 'added', after: 'ml' })).toBe('+ metadata.labels.team: "ml"');
    expect(changeLine({ path: 'spec.x', type: 'removed', before: { a: 'b'.repeat(200) } })).toMatch(/^- spec\.x: \{"a":"b+…$/);
  });

  it('offers rollback only for promotions that changed something and were not rolled back', () => {
    const base: PromotionSummary = { id: '1', createdAt: '2026-01-02T03:04:05.000Z', bundle: 'inference', source: { kind: 'folder', path: '/x' }, target: 'cloud', profile: 'gke', status: 'succeeded', counts: { created: 3, unchanged: 1 } };
    const rows = historyRows([base, { ...base, id: '2', status: 'blocked', counts: {} }, { ...base, id: '3', rolledBackAt: '2026-01-03T00:00:00Z' }]);
    expect(rows[0]).toEqual({ id: '1', when: '2026-01-02 03:04:05', what: 'inference → cloud (gke)', status: 'succeeded', tone: 'ok', counts: '3 created, 1 unchanged', canRollBack: true });
    expect(rows.map((r) => [r.status, r.canRollBack])).toEqual([
      ['succeeded', true],
      ['blocked', false],
      ['rolled back', false],
    ]);
  });
});

describe('Secret choices', () => {
  const warning: PreflightCheck = { id: 'secrets', title: 'Secrets in the bundle', status: 'warn', reason: '…', objects: ['Secret ml/wandb', 'Secret ml/hf-token', 'Secret serving/hf-token'] };

  it('lists the Secrets preflight names and those the profile already decides, with their decisions', () => {
    const profile = promotionProfileSchema.parse({ name: 'p', secrets: { old: null, registry: 'regcred' } });
    expect(secretRows([warning], profile)).toEqual([
      { name: 'hf-token', namespaces: ['ml', 'serving'], decision: { kind: 'copy' }, fromWildcard: false },
      { name: 'old', namespaces: [], decision: { kind: 'leave-out' }, fromWildcard: false },
      { name: 'registry', namespaces: [], decision: { kind: 'map', to: 'regcred' }, fromWildcard: false },
      { name: 'wandb', namespaces: ['ml'], decision: { kind: 'copy' }, fromWildcard: false },
    ]);
    // The "*" entry decides for every name without one of its own, and is no row itself.
    const wildcard = secretRows([warning], promotionProfileSchema.parse({ name: 'p', secrets: { '*': null, wandb: 'wandb-prod' } }));
    expect(wildcard.map((r) => [r.name, r.decision.kind, r.fromWildcard])).toEqual([
      ['hf-token', 'leave-out', true],
      ['wandb', 'map', false],
    ]);
    expect(secretRows([], null)).toEqual([]);
  });

  it('changes one decision and leaves the rest of the profile as it was', () => {
    const profile = promotionProfileSchema.parse({ name: 'p', namespace: 'prod', secrets: { a: null } });
    expect(withSecretDecision(profile, 'b', { kind: 'map', to: 'b-prod' })).toEqual({ ...profile, secrets: { a: null, b: 'b-prod' } });
    expect(withSecretDecision(profile, 'a', { kind: 'copy' }).secrets).toEqual({});
    expect(withSecretDecision(profile, 'a', { kind: 'leave-out' }).secrets).toEqual({ a: null });
    expect(profile.secrets).toEqual({ a: null });
    expect(promotionProfileSchema.parse(withSecretDecision(profile, 'b', { kind: 'map', to: 'b-prod' }))).toBeTruthy();
  });

  it('accepts DNS-1123 names only for the target Secret', () => {
    for (const good of ['regcred', 'hf-token.prod', 'a', '0x1']) expect(secretNameProblem(good)).toBeNull();
    for (const bad of ['Prod', 'hf_token', '-a', 'a-', 'a..b', '.a', 'a.', 'x'.repeat(254)]) expect(secretNameProblem(bad)).toMatch(/is not a Secret name/);
    expect(secretNameProblem('')).toMatch(/Enter the name/);
  });
});
