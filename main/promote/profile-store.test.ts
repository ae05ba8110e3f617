import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger';
import { SettingsService, type SettingsBackend } from '../settings/settings-service';
import { ProfileStore, parseProfile, profileToYaml } from './profile-store';

const samples = path.resolve(__dirname, '../../resources/samples/profiles');
const memoryBackend = (): SettingsBackend => ({ path: '/mem/settings.json', store: {} });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('parseProfile', () => {
  it('accepts every example profile shipped in resources/samples/profiles', () => {
    for (const file of fs.readdirSync(samples)) {
      const profile = parseProfile(fs.readFileSync(path.join(samples, file), 'utf8'), file);
      expect(profile.name).toBe(path.basename(file, '.yaml'));
    }
  });

  it('names file, line and field of a schema problem', () => {
    const text = 'name: gke\nstorageClasses:\n  standard: premium\nhpa:\n  web:\n    minReplicas: zero\n';
    expect(() => parseProfile(text, 'p.yaml')).toThrow(/^p\.yaml:6: hpa\.web\.minReplicas: /);
    expect(() => parseProfile('name: gke\nunknownField: 1\n', 'p.yaml')).toThrow(/p\.yaml.*unknownField|Unrecognized key/);
    expect(() => parseProfile('name: Not_A_Label\n', 'p.yaml')).toThrow(/^p\.yaml:1: name: /);
    expect(() => parseProfile('name: gke\nimages:\n  digests:\n    a: sha1:abc\n', 'p.yaml')).toThrow(/^p\.yaml:4: images\.digests\.a: a digest like/);
    expect(() => parseProfile('name: [x\n', 'p.yaml')).toThrow(/^p\.yaml:\d+: invalid YAML/);
  });

  it('round-trips through YAML and accepts the Kubernetes-style wrapper', () => {
    const gke = parseProfile(fs.readFileSync(path.join(samples, 'gke.yaml'), 'utf8'), 'gke.yaml');
    expect(parseProfile(profileToYaml(gke), 'again.yaml')).toEqual(gke);
    expect(parseProfile('kind: PromotionProfile\nmetadata: {name: wrapped}\nspec: {namespace: prod}\n', 'w.yaml')).toMatchObject({ name: 'wrapped', namespace: 'prod' });
  });
});

describe('ProfileStore', () => {
  it('saves profiles in settings by name, resolves names, files and examples, deletes', () => {
    const settings = new SettingsService(memoryBackend(), silentLogger);
    const store = new ProfileStore(settings, [samples]);
    store.save({ name: 'lab', namespace: 'lab' });
    store.save({ name: 'lab', namespace: 'lab2' });
    expect(settings.get().promotionProfiles.map((p) => [p.name, p.namespace])).toEqual([['lab', 'lab2']]);
    expect(store.resolve('lab').namespace).toBe('lab2');
    expect(store.resolve('gke').namespace).toBe('ml-prod');
    expect(store.resolve(path.join(samples, 'eks.yaml')).name).toBe('eks');
    expect(() => store.resolve('nope')).toThrow(/No promotion profile named "nope"/);
    expect(() => store.save({ name: 'bad', hpa: { x: { minReplicas: 0 } } })).toThrow(/hpa\.x\.minReplicas/);
    expect(store.delete('lab')).toBe(true);
    expect(store.delete('lab')).toBe(false);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-profile-'));
    dirs.push(dir);
    expect(() => store.resolve(path.join(dir, 'missing.yaml'))).toThrow(/No profile file/);
  });
});
