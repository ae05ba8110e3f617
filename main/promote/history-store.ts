/**
 * Promotion history: one JSON file per promotion in `<config dir>/promotions/`, written before
 * the apply starts (so a crash mid-apply can still be rolled back) and updated with the result.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { PromotionRecord, PromotionSummary } from '../../shared/models/promote';

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

  /** Writes atomically (temp file + rename) so a crash never leaves half a record. */
  save(record: PromotionRecord): string {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = this.pathOf(record.id);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(record, null, 1));
    fs.renameSync(tmp, file);
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
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    const out: PromotionSummary[] = [];
    for (const file of files) {
      try {
        const r = JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) as PromotionRecord;
        out.push({ id: r.id, createdAt: r.createdAt, bundle: r.bundle, source: r.source, target: r.target, profile: r.profile, status: r.status, counts: r.counts, ...(r.rolledBackAt ? { rolledBackAt: r.rolledBackAt } : {}) });
      } catch {
        // a foreign or broken file: not ours to list
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }
}
