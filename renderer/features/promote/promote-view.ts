/**
 * Pure view models of the Promote page: profile text ↔ profile, check and diff summaries,
 * history rows. No React, no RPC.
 */
import { LineCounter, parseDocument, stringify } from 'yaml';
import type { BadgeTone } from '../../components/StatusBadge';
import type { CheckStatus, DiffAction, DiffResult, FieldChange, PreflightCheck, PromotionSummary } from '../../../shared/models/promote';
import { dnsSubdomain, promotionProfileSchema, type PromotionProfile } from '../../../shared/models/promote-profile';

export type ProfileParse = { ok: true; profile: PromotionProfile } | { ok: false; message: string; line?: number };

/** The inline profile editor's text as a validated profile, or the first problem with its line. */
export function parseProfileText(text: string): ProfileParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line ?? lineCounter.linePos(yamlError.pos[0]).line;
    return { ok: false, line, message: `line ${line}: ${yamlError.message.split('\n')[0]}` };
  }
  const parsed = promotionProfileSchema.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, profile: parsed.data };
  const issue = parsed.error.issues[0]!;
  const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  return { ok: false, ...(line ? { line } : {}), message: `${line ? `line ${line}: ` : ''}${issue.path.join('.') || 'profile'}: ${issue.message}` };
}

/** A profile as the editor shows it: only what differs from the defaults, in schema order. */
export function profileText(profile: PromotionProfile): string {
  const defaults = promotionProfileSchema.parse({ name: profile.name });
  const trimmed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile)) {
    if (key === 'name' || JSON.stringify(value) !== JSON.stringify((defaults as Record<string, unknown>)[key])) trimmed[key] = value;
  }
  return stringify(trimmed, { lineWidth: 0 });
}

export const CHECK_TONE: Record<CheckStatus, BadgeTone> = { ok: 'ok', warn: 'warn', fail: 'error' };

export function checkCounts(checks: PreflightCheck[]): Record<CheckStatus, number> {
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

/** Failed checks first, then warnings, then the rest; stable within a status. */
export function orderChecks(checks: PreflightCheck[]): PreflightCheck[] {
  const rank: Record<CheckStatus, number> = { fail: 0, warn: 1, ok: 2 };
  return checks.map((c, i) => ({ c, i })).sort((a, b) => rank[a.c.status] - rank[b.c.status] || a.i - b.i).map((x) => x.c);
}

export const ACTION_TONE: Record<DiffAction, BadgeTone> = { create: 'info', change: 'warn', unchanged: 'muted', conflict: 'error', error: 'error', delete: 'error' };

export function diffSummary(diff: DiffResult): string {
  const s = diff.summary;
  const parts = [`${s.create} to create`, `${s.change} to change`, `${s.unchanged} unchanged`];
  if (s.conflict) parts.push(`${s.conflict} conflict${s.conflict === 1 ? '' : 's'}`);
  if (s.error) parts.push(`${s.error} rejected`);
  if (s.delete) parts.push(`${s.delete} to delete (prune)`);
  return parts.join(' · ');
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text === undefined ? '—' : text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/** One line per field change: `+ path: value`, `- path: value`, `~ path: before → after`. */
export function changeLine(change: FieldChange): string {
  if (change.type === 'added') return `+ ${change.path}: ${show(change.after)}`;
  if (change.type === 'removed') return `- ${change.path}: ${show(change.before)}`;
  return `~ ${change.path}: ${show(change.before)} → ${show(change.after)}`;
}

export interface HistoryRow {
  id: string;
  when: string;
  what: string;
  status: string;
  tone: BadgeTone;
  counts: string;
  canRollBack: boolean;
}

const STATUS_TONE: Record<PromotionSummary['status'], BadgeTone> = { succeeded: 'ok', partial: 'warn', failed: 'error', blocked: 'muted', interrupted: 'error' };

export function historyRows(list: PromotionSummary[]): HistoryRow[] {
  return list.map((h) => ({
    id: h.id,
    when: h.createdAt.replace('T', ' ').slice(0, 19),
    what: `${h.bundle} → ${h.target} (${h.profile})`,
    status: h.rolledBackAt ? 'rolled back' : h.status,
    tone: h.rolledBackAt ? 'muted' : STATUS_TONE[h.status],
    counts: Object.entries(h.counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', '),
    canRollBack: !h.rolledBackAt && h.status !== 'blocked',
  }));
}

/** What the profile does with one Secret of the bundle. */
export type SecretDecision = { kind: 'copy' } | { kind: 'leave-out' } | { kind: 'map'; to: string };

export interface SecretRow {
  /** The Secret's name: the profile's `secrets` map is keyed by it. */
  name: string;
  /** Namespaces the bundle holds a Secret of this name in (from preflight's warning). */
  namespaces: string[];
  decision: SecretDecision;
  /** True when the decision comes from the profile's `*` entry, not one for this name. */
  fromWildcard: boolean;
}

/** The profile's decision for a Secret name, as mapSecrets (main/promote/secret-mapping.ts) reads it. */
export function secretDecision(profile: PromotionProfile | null, name: string): { decision: SecretDecision; fromWildcard: boolean } {
  const secrets = profile?.secrets ?? {};
  const own = name in secrets;
  const value = own ? secrets[name] : '*' in secrets ? secrets['*'] : undefined;
  const decision: SecretDecision = value === undefined ? { kind: 'copy' } : value === null ? { kind: 'leave-out' } : { kind: 'map', to: value };
  return { decision, fromWildcard: !own && value !== undefined };
}

/**
 * The Secrets the Promote page offers a choice for: those preflight's `secrets` warning names
 * (still copied), and those the profile already leaves out or maps (preflight no longer names
 * them, but the choice must stay visible to be undone). Sorted by name.
 */
export function secretRows(checks: PreflightCheck[], profile: PromotionProfile | null): SecretRow[] {
  const namespaces = new Map<string, Set<string>>();
  for (const object of checks.find((c) => c.id === 'secrets')?.objects ?? []) {
    const ref = /^Secret (?:([^/]+)\/)?(.+)$/.exec(object);
    if (!ref) continue;
    const set = namespaces.get(ref[2]!) ?? new Set<string>();
    if (ref[1]) set.add(ref[1]);
    namespaces.set(ref[2]!, set);
  }
  for (const name of Object.keys(profile?.secrets ?? {})) if (name !== '*' && !namespaces.has(name)) namespaces.set(name, new Set());
  return [...namespaces.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ns]) => ({ name, namespaces: [...ns].sort(), ...secretDecision(profile, name) }));
}

/** The profile with one Secret's decision changed (pure); `copy` removes the name's own entry. */
export function withSecretDecision(profile: PromotionProfile, name: string, decision: SecretDecision): PromotionProfile {
  const secrets = { ...profile.secrets };
  if (decision.kind === 'copy') delete secrets[name];
  else secrets[name] = decision.kind === 'leave-out' ? null : decision.to;
  return { ...profile, secrets };
}

/** Why a target Secret name is not one Kubernetes accepts, or null when it is. */
export function secretNameProblem(name: string): string | null {
  if (name === '') return 'Enter the name of a Secret that exists in the target.';
  const parsed = dnsSubdomain.safeParse(name);
  return parsed.success ? null : `“${name}” is not a Secret name: ${parsed.error.issues[0]!.message}.`;
}
