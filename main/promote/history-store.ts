/**
 * Promotion history: one JSON file per promotion in `<config dir>/promotions/` (0600 in a 0700
 * folder), written ahead of the apply and again as each object lands (see apply-journal.ts), so a
 * crash, a cancel or a lost connection mid-apply leaves a record rollback can undo exactly.
 *
 * Secret values are kept only where rollback needs them: the live Secrets as they were before
 * (`previous`, to restore them). The rendered Secrets are stored masked: rollback never uses them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { PromotionRecord, PromotionSummary } from '../../shared/models/promote';
import { ensurePrivateDir, writePrivateFile } from '../fs/private-files';
import { maskSecret } from './secrets';

const ID = /^\d{8}-\d{6}-[a-f0-9]{6}$/;

export class HistoryStore {
  readonly dir: string;

  constructor(configDir: string) {
    this.dir = path.join(configDir, 'promotions');
  }

  newId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return `${stamp}-${randomBytes(3).toString('hex')}`;
  }

  pathOf(id: string): string {
    if (!ID.test(id)) throw new AppError('INVALID_ARGUMENT', `"${id}" is not a promotion id.`, { fix: 'Run `slipway history` to see the ids.' });
    return path.join(this.dir, `${id}.json`);
  }

  /** Writes atomically and durably (temp file, fsync, rename) so a crash never leaves half a record. */
  save(record: PromotionRecord): string {
    ensurePrivateDir(this.dir);
    const file = this.pathOf(record.id);
    writePrivateFile(file, JSON.stringify({ ...record, rendered: record.rendered.map(maskSecret) }, null, 1));
    return file;
  }

  get(id: string): PromotionRecord {
    const file = this.pathOf(id);
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')) as PromotionRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `No promotion ${id}.`, { fix: 'Run `slipway history` to see the ids.' });
      throw new AppError('INTERNAL', `The record ${file} is unreadable: ${(error as Error).message}`);
    }
  }

  /** Newest first; unreadable files are skipped. */
  list(): PromotionSummary[] {
    return this.records().map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      bundle: r.bundle,
      ...(r.bundleId ? { bundleId: r.bundleId } : {}),
      source: r.source,
      target: r.target,
      profile: r.profile,
      status: r.status,
      counts: r.counts,
      ...(r.rolledBackAt ? { rolledBackAt: r.rolledBackAt } : {}),
    }));
  }

  /** Every whole record, newest first (prune reads what earlier promotions created). */
  records(): PromotionRecord[] {
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.dir).filter((f) => ID.test(f.replace(/\.json$/, '')) && f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: PromotionRecord[] = [];
    for (const file of files) {
      try {
        const r = JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) as PromotionRecord;
        if (typeof r.id === 'string' && typeof r.createdAt === 'string' && Array.isArray(r.result)) out.push(r);
      } catch {
        // a foreign or broken file: not ours to list
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }
}
