import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { loadBundle, parseManifests } from './bundle-loader';

const dirs: string[] = [];
const tmp = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-bundle-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const noKubectl = async () => null;

async function rejection(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('parseManifests', () => {
  it('reads multi-document files, skips empty documents and expands Lists, with the line of each object', () => {
    const text = ['---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: a}', '---', '# only a comment', '---', 'apiVersion: v1', 'kind: List', 'items:', '- {apiVersion: v1, kind: Secret, metadata: {name: s}}'].join('\n');
    const out = parseManifests(text, 'f.yaml');
    expect(out.map((o) => `${o.object.kind}/${o.object.metadata.name}@${o.origin.line}`)).toEqual(['ConfigMap/a@2', 'Secret/s@8']);
  });

  it('names the file and line of invalid YAML', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  name: t\n';
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(/^bad\.yaml:10: invalid YAML: Map keys must be unique/);
    expect(() => parseManifests('kind: ConfigMap\nmetadata:\n  name: a\n b: c\n', 'indent.yaml')).toThrow(/^indent\.yaml:4: invalid YAML/);
  });

  it('rejects objects without kind, with a malformed kind or without a name', () => {
    expect(() => parseManifests('apiVersion: v1\nmetadata: {name: a}\n', 'k.yaml')).toThrow('k.yaml:1: missing or malformed kind');
    expect(() => parseManifests('apiVersion: v1\nkind: "not a kind"\nmetadata: {name: a}\n', 'k.yaml')).toThrow('malformed kind "not a kind"');
    expect(() => parseManifests('apiVersion: "apps v1"\nkind: Deployment\nmetadata: {name: a}\n', 'k.yaml')).toThrow('malformed apiVersion');
    expect(() => parseManifests('apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: run-}\n', 'k.yaml')).toThrow(/generateName cannot be promoted/);
    expect(() => parseManifests('- a\n- b\n', 'l.yaml')).toThrow(/YAML list at the top level/);
  });
});

describe('loadBundle', () => {
  it('loads the yaml/yml/json files of a folder in name order and ignores the rest', async () => {
    const dir = tmp({
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'a.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
      'README.md': '# not a manifest',
      '.slipway-capture.json': '{"kind":"capture"}',
    });
    const bundle = await loadBundle(dir, noKubectl);
    expect(bundle.name).toBe(path.basename(dir));
    expect(bundle.source).toEqual({ kind: 'folder', path: dir });
    expect(bundle.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a duplicate object naming both places', async () => {
    const dir = tmp({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ml}\n', 'b.yaml': '\n\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ml}\n' });
    const error = await rejection(loadBundle(dir, noKubectl));
    expect(error.code).toBe('BUNDLE_INVALID');
    expect(error.message).toBe(`ConfigMap ml/x appears twice: ${path.join(dir, 'a.yaml')}:1 and ${path.join(dir, 'b.yaml')}:3.`);
  });

  it('reports a missing path, an empty folder and a kustomization without kubectl', async () => {
    expect((await rejection(loadBundle('/nonexistent/bundle', noKubectl))).code).toBe('NOT_FOUND');
    expect((await rejection(loadBundle(tmp({ 'notes.txt': 'x' }), noKubectl))).code).toBe('BUNDLE_INVALID');
    const error = await rejection(loadBundle(tmp({ 'kustomization.yaml': 'resources: [a.yaml]\n' }), noKubectl));
    expect(error.code).toBe('TOOL_NOT_FOUND');
    expect(error.fix).toContain('kubectl');
  });
});
