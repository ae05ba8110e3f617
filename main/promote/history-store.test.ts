import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PromotionRecord } from '../../shared/models/promote';
import { emptyProfile } from '../../shared/models/promote-profile';
import { HistoryStore } from './history-store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const record = (id: string, createdAt: string): PromotionRecord => ({
  id,
  createdAt,
  bundle: 'b',
  source: { kind: 'folder', path: '/b' },
  target: 'cloud',
  profile: 'default',
  status: 'succeeded',
  counts: { created: 1 },
  profileSpec: emptyProfile(),
  rendered: [],
  previous: [],
  result: [],
});

describe('HistoryStore', () => {
  it('writes one file per promotion and lists newest first, skipping foreign files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-history-'));
    dirs.push(dir);
    const store = new HistoryStore(dir);
    const a = store.newId(new Date('2026-03-01T10:00:00Z'));
    const b = store.newId(new Date('2026-03-02T10:00:00Z'));
    expect(a).toMatch(/^20260301-100000-[a-f0-9]{6}$/);
    store.save(record(a, '2026-03-01T10:00:00.000Z'));
    store.save(record(b, '2026-03-02T10:00:00.000Z'));
    fs.writeFileSync(path.join(dir, 'promotions', 'junk.json'), '{not json');
    expect(store.list().map((s) => s.id)).toEqual([b, a]);
    expect(store.get(a).target).toBe('cloud');
    expect(fs.readdirSync(path.join(dir, 'promotions')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() => store.get('20990101-000000-abcdef')).toThrow(/No promotion/);
    expect(() => store.get('../../etc/passwd')).toThrow(/not a promotion id/);
  });
});
