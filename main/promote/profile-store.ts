/**
 * Promotion profiles: kept in settings (by name) and as shareable YAML files. Files are validated
 * with the same zod schema; a problem names the file, the line and the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument, LineCounter, stringify } from 'yaml';
import { AppError } from '../../shared/errors';
import { promotionProfileSchema, type PromotionProfile } from '../../shared/models/promote-profile';
import type { SettingsService } from '../settings/settings-service';

/** Parses and validates a profile from YAML text; errors carry `file:line: field: problem`. */
export function parseProfile(text: string, file: string): PromotionProfile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line ?? lineCounter.linePos(yamlError.pos[0]).line;
    throw new AppError('PROFILE_INVALID', `${file}:${line}: invalid YAML: ${yamlError.message.split('\n')[0]}`, { fix: 'Fix the YAML at that line.', details: { file, line } });
  }
  const value: unknown = doc.toJS();
  // A profile file may be bare or wrapped as a Kubernetes-style document.
  const body = value && typeof value === 'object' && (value as Record<string, unknown>).kind === 'PromotionProfile' ? { name: (value as any).metadata?.name, ...(value as any).spec } : value;
  const parsed = promotionProfileSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const node = doc.getIn(issue.path as (string | number)[], true) as { range?: [number, number, number] } | undefined;
  const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const field = issue.path.join('.') || '(root)';
  throw new AppError('PROFILE_INVALID', `${file}${line ? `:${line}` : ''}: ${field}: ${issue.message}`, {
    fix: 'Fix the profile; see resources/samples/profiles/ for examples.',
    details: { file, line, issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

export function profileToYaml(profile: PromotionProfile): string {
  return stringify(profile, { lineWidth: 0 });
}

export class ProfileStore {
  constructor(
    private readonly settings: SettingsService,
    /** Folders of example profiles (resources/samples/profiles), found by name after settings. */
    private readonly exampleDirs: string[] = [],
  ) {}

  list(): PromotionProfile[] {
    return this.settings.get().promotionProfiles;
  }

  /** Example profiles shipped with Slipway (not saved in settings). */
  examples(): { profile: PromotionProfile; file: string }[] {
    const out: { profile: PromotionProfile; file: string }[] = [];
    for (const dir of this.exampleDirs) {
      let files: string[] = [];
      try {
        files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
      } catch {
        continue;
      }
      for (const f of files) {
        try {
          out.push({ profile: parseProfile(fs.readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f)), file: path.join(dir, f) });
        } catch {
          // a broken example is not the user's problem here; `--profile FILE` reports it
        }
      }
    }
    return out;
  }

  save(profile: unknown): PromotionProfile {
    const parsed = promotionProfileSchema.safeParse(profile);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError('PROFILE_INVALID', `${issue.path.join('.') || '(root)'}: ${issue.message}`, { fix: 'Fix the profile and save again.' });
    }
    this.settings.mutate((s) => ({ ...s, promotionProfiles: [...s.promotionProfiles.filter((p) => p.name !== parsed.data.name), parsed.data].sort((a, b) => a.name.localeCompare(b.name)) }));
    return parsed.data;
  }

  delete(name: string): boolean {
    let removed = false;
    this.settings.mutate((s) => {
      removed = s.promotionProfiles.some((p) => p.name === name);
      return { ...s, promotionProfiles: s.promotionProfiles.filter((p) => p.name !== name) };
    });
    return removed;
  }

  loadFile(file: string): PromotionProfile {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new AppError('NOT_FOUND', `No profile file ${file}.`, { fix: 'Pass a profile YAML file or the name of a saved profile.' });
    }
    return parseProfile(text, file);
  }

  /** A file path (anything with a slash or a .yaml ending that exists), else a saved profile, else an example. */
  resolve(nameOrFile: string): PromotionProfile {
    if (/[\\/]|\.ya?ml$/.test(nameOrFile)) return this.loadFile(nameOrFile);
    const saved = this.list().find((p) => p.name === nameOrFile);
    if (saved) return saved;
    const example = this.examples().find((e) => e.profile.name === nameOrFile);
    if (example) return example.profile;
    throw new AppError('NOT_FOUND', `No promotion profile named "${nameOrFile}".`, {
      fix: `Saved: ${this.list().map((p) => p.name).join(', ') || 'none'}; examples: ${this.examples().map((e) => e.profile.name).join(', ') || 'none'}. Or pass a YAML file.`,
    });
  }
}
