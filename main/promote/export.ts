/**
 * Export for GitOps (Argo CD, Flux): the rendered manifests as files with a kustomization that
 * lists them, or a kustomize overlay — the bundle as `base/` and the profile's changes as JSON
 * patches in `overlays/<profile>/` — so the target's repository holds the same objects a direct
 * promotion would apply.
 */
import fs from 'node:fs';
import path from 'node:path';
import microdiff from 'microdiff';
import { stringify } from 'yaml';
import { AppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { Bundle, ExportResult, RenderedObject } from '../../shared/models/promote';
import { refOf } from '../../shared/models/promote';
import { refKey } from './apply';
import { sortForApply } from './order';
import { ensurePrivateDir, writePrivateFile } from '../fs/private-files';

const fileName = (index: number, object: KubeObject) => `${String(index + 1).padStart(3, '0')}-${object.kind.toLowerCase()}-${object.metadata.name}.yaml`.replace(/[^A-Za-z0-9._-]/g, '-');

/**
 * Kubernetes refuses a name that is `.` or `..` or holds `/` or `%` (its path-segment rule);
 * export also refuses backslashes and control characters. File names are made from object names,
 * so a bundle carrying `a/../../x` is refused before anything is written.
 */
function checkNames(names: { what: string; name: string }[]): void {
  for (const { what, name } of names) {
    const control = [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    if (!name || name === '.' || name === '..' || /[/\\%]/.test(name) || control || name.length > 253) {
      throw new AppError('INVALID_ARGUMENT', `${what} has the name ${JSON.stringify(name)}, which is not a valid Kubernetes name.`, {
        fix: 'Fix the name in the bundle; nothing was written.',
      });
    }
  }
}

const namesOf = (objects: KubeObject[]) => objects.map((o) => ({ what: `${o.kind} ${JSON.stringify(o.metadata.name)}`, name: o.metadata.name }));

/** Writes under `root` only: a path that would leave it is refused (the last line of defence). */
function writeInside(root: string, relative: string, value: unknown): void {
  const target = path.resolve(root, relative);
  const inside = path.relative(path.resolve(root), target);
  if (inside === '' || inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) {
    throw new AppError('INVALID_ARGUMENT', `Refusing to write ${relative} outside ${root}.`, { fix: 'Fix the object or profile name in the bundle.' });
  }
  writeYaml(target, value);
}

function prepareDir(dir: string): void {
  // Exports may carry Secrets: owner-only, like every file Slipway writes.
  ensurePrivateDir(dir);
  const present = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
  if (present.length > 0) throw new AppError('ALREADY_EXISTS', `${dir} is not empty.`, { fix: 'Export into an empty (or new) folder; nothing was written.' });
}

function writeYaml(file: string, value: unknown): void {
  writePrivateFile(file, stringify(value, { lineWidth: 0 }));
}

export function exportManifests(dir: string, rendered: RenderedObject[]): ExportResult {
  checkNames(namesOf(rendered.map((r) => r.object)));
  prepareDir(dir);
  const files = sortForApply(rendered).map((r, i) => {
    const name = fileName(i, r.object);
    writeInside(dir, name, r.object);
    return name;
  });
  writeYaml(path.join(dir, 'kustomization.yaml'), { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: files });
  return { dir, files: [...files, 'kustomization.yaml'], format: 'manifests' };
}

const pointer = (parts: (string | number)[]) => '/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** RFC 6902 operations turning `from` into `to`; array removals run from the end so indexes hold. */
export function jsonPatch(from: unknown, to: unknown): { op: 'add' | 'remove' | 'replace'; path: string; value?: unknown }[] {
  const diffs = microdiff(from as Record<string, any>, to as Record<string, any>);
  const ops = diffs.map((d) => (d.type === 'CREATE' ? { op: 'add' as const, path: pointer(d.path), value: d.value } : d.type === 'REMOVE' ? { op: 'remove' as const, path: pointer(d.path) } : { op: 'replace' as const, path: pointer(d.path), value: d.value }));
  const removals = ops.filter((o) => o.op === 'remove').reverse();
  return [...ops.filter((o) => o.op === 'replace'), ...removals, ...ops.filter((o) => o.op === 'add')];
}

/**
 * `base/` holds the bundle as loaded; `overlays/<profile>/` lists it, adds the objects the
 * promotion adds (namespaces) and patches each object into its rendered form. Targets are
 * matched by kind and name, and the namespace is part of the patch.
 */
export function exportOverlay(dir: string, bundle: Bundle, rendered: RenderedObject[], profileName: string): ExportResult {
  checkNames([...namesOf(bundle.objects.map((o) => o.object)), ...namesOf(rendered.map((r) => r.object)), { what: 'The profile', name: profileName }]);
  prepareDir(dir);
  const files: string[] = [];
  const sources = new Map(bundle.objects.map(({ object }) => [`${object.kind}|${object.metadata.name}`, object]));
  const baseFiles = bundle.objects.map(({ object }, i) => {
    const name = fileName(i, object);
    writeInside(dir, path.join('base', name), object);
    files.push(`base/${name}`);
    return name;
  });
  writeYaml(path.join(dir, 'base', 'kustomization.yaml'), { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: baseFiles });
  files.push('base/kustomization.yaml');
  const overlay = path.join('overlays', profileName);
  const resources = ['../../base'];
  const patches: { target: { group: string; version: string; kind: string; name: string }; path: string }[] = [];
  const renderedByKey = new Map(rendered.map((r) => [refKey(r.ref), r]));
  const baseByRendered = new Map<string, KubeObject>();
  for (const r of rendered) {
    // Namespaces may be renamed by the profile: find the source by kind and position otherwise.
    const source = sources.get(`${r.object.kind}|${r.object.metadata.name}`) ?? (r.object.kind === 'Namespace' ? bundle.objects.find((o) => o.object.kind === 'Namespace' && ![...renderedByKey.values()].some((x) => x.object.kind === 'Namespace' && x.object.metadata.name === o.object.metadata.name))?.object : undefined);
    if (source) baseByRendered.set(refKey(r.ref), source);
  }
  let extra = 0;
  for (const r of sortForApply(rendered)) {
    const source = baseByRendered.get(refKey(r.ref));
    if (!source) {
      const name = `added-${String(++extra).padStart(2, '0')}-${r.object.kind.toLowerCase()}-${r.object.metadata.name}.yaml`;
      writeInside(dir, path.join(overlay, name), r.object);
      files.push(`${overlay}/${name}`);
      resources.push(name);
      continue;
    }
    const ops = jsonPatch(source, r.object);
    if (ops.length === 0) continue;
    const ref = refOf(source);
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    const name = `patch-${ref.kind.toLowerCase()}-${ref.name}.yaml`;
    writeInside(dir, path.join(overlay, name), ops);
    files.push(`${overlay}/${name}`);
    patches.push({ target: { group: group!, version: version!, kind: ref.kind, name: ref.name }, path: name });
  }
  writeYaml(path.join(dir, overlay, 'kustomization.yaml'), { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources, patches });
  files.push(`${overlay}/kustomization.yaml`);
  return { dir, files, format: 'overlay' };
}
