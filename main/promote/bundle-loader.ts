/**
 * Loading a workload bundle from disk: one YAML/JSON file (multi-document), a folder of them
 * (top level only, like `kubectl apply -f DIR`), or a kustomization (built by `kubectl kustomize`,
 * found through the tool locator). Every problem names the file and line.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { AppError } from '../../shared/errors';
import type { KubeObject } from '../../shared/k8s/kube-object';
import type { Bundle, ObjectOrigin } from '../../shared/models/promote';
import { formatRef, refOf } from '../../shared/models/promote';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Finds kubectl for kustomizations; null when it is nowhere (settings, bundled, PATH, build cache). */
export type KubectlFinder = () => Promise<string | null>;

/** Parses the documents of one file into objects; throws BUNDLE_INVALID with file:line. */
export function parseManifests(text: string, file: string): { object: KubeObject; origin: ObjectOrigin }[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const out: { object: KubeObject; origin: ObjectOrigin }[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      throw new AppError('BUNDLE_INVALID', `${file}:${line}: invalid YAML: ${error.message.split('\n')[0]}`, {
        fix: 'Fix the YAML at that line; nothing was applied.',
        details: { file, line },
      });
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? 0).line;
    const origin: ObjectOrigin = { file, line };
    for (const object of expandList(value, origin)) out.push({ object: validateObject(object, origin), origin });
  }
  return out;
}

function expandList(value: unknown, origin: ObjectOrigin): unknown[] {
  const v = value as Record<string, unknown>;
  if (v && typeof v === 'object' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) return v.items;
  if (Array.isArray(value)) throw invalid(origin, 'a YAML list at the top level; expected Kubernetes objects (one per document)');
  return [value];
}

function invalid(origin: ObjectOrigin, message: string): AppError {
  return new AppError('BUNDLE_INVALID', `${origin.file}:${origin.line}: ${message}`, { fix: 'Fix the manifest; nothing was applied.', details: origin });
}

/** Checks the fields every object needs to be applied: apiVersion, kind, metadata.name. */
export function validateObject(value: unknown, origin: ObjectOrigin): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(origin, 'not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)');
  const o = value as Record<string, any>;
  if (typeof o.apiVersion !== 'string' || !/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(o.apiVersion)) throw invalid(origin, `missing or malformed apiVersion${o.apiVersion ? ` "${String(o.apiVersion)}"` : ''}`);
  if (typeof o.kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(o.kind)) throw invalid(origin, `missing or malformed kind${o.kind ? ` "${String(o.kind)}"` : ''}`);
  if (typeof o.metadata !== 'object' || o.metadata === null) throw invalid(origin, `${o.kind} has no metadata`);
  if (typeof o.metadata.name !== 'string' || !o.metadata.name) {
    throw invalid(origin, `${o.kind} has no metadata.name${o.metadata.generateName ? ' (generateName cannot be promoted: every apply would create another object)' : ''}`);
  }
  return o as KubeObject;
}

function rejectDuplicates(objects: { object: KubeObject; origin: ObjectOrigin }[]): void {
  const seen = new Map<string, ObjectOrigin>();
  for (const { object, origin } of objects) {
    const ref = refOf(object);
    const key = `${ref.apiVersion.split('/').slice(0, -1).join('/')}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
    const first = seen.get(key);
    if (first) {
      throw new AppError('BUNDLE_INVALID', `${formatRef(ref)} appears twice: ${first.file}:${first.line} and ${origin.file}:${origin.line}.`, { fix: 'Keep one of them; nothing was applied.' });
    }
    seen.set(key, origin);
  }
}

async function runKubectlKustomize(kubectl: string, dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['kustomize', dir], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new AppError('BUNDLE_INVALID', `kustomize build of ${dir} failed: ${(stderr || error.message).trim().split('\n').slice(-3).join(' ')}`, { fix: 'Run `kubectl kustomize` on the folder to see the whole error.' }));
      } else resolve(stdout);
    });
  });
}

/** Written by capture next to the manifests, so history and preflight know where they came from. */
export const CAPTURE_MARKER = '.slipway-capture.json';

async function captureMarker(dir: string): Promise<Bundle['source'] | null> {
  try {
    const marker = JSON.parse(await fs.readFile(path.join(dir, CAPTURE_MARKER), 'utf8')) as Record<string, unknown>;
    if (typeof marker.context !== 'string' || typeof marker.namespace !== 'string') return null;
    return { kind: 'capture', context: marker.context, namespace: marker.namespace, ...(typeof marker.selector === 'string' ? { selector: marker.selector } : {}) };
  } catch {
    return null;
  }
}

/** Loads a bundle from a file or folder. */
export async function loadBundle(target: string, findKubectl: KubectlFinder): Promise<Bundle> {
  const resolved = path.resolve(target);
  let stat;
  try {
    stat = await fs.stat(resolved);
  } catch {
    throw new AppError('NOT_FOUND', `No bundle at ${target}.`, { fix: 'Pass a folder of manifests, a YAML file or a kustomization folder.' });
  }
  const name = path.basename(resolved).replace(/\.(ya?ml|json)$/, '');
  let objects: { object: KubeObject; origin: ObjectOrigin }[];
  let source: Bundle['source'];
  if (stat.isFile()) {
    objects = parseManifests(await fs.readFile(resolved, 'utf8'), resolved);
    source = { kind: 'file', path: resolved };
  } else {
    const entries = (await fs.readdir(resolved)).sort();
    const kustomization = KUSTOMIZATION_FILES.find((f) => entries.includes(f));
    if (kustomization) {
      const kubectl = await findKubectl();
      if (!kubectl) {
        throw new AppError('TOOL_NOT_FOUND', `${path.join(resolved, kustomization)} needs kubectl (kustomize) to build, and kubectl was not found.`, {
          fix: 'Install kubectl or set its path in Settings → Tools.',
        });
      }
      objects = parseManifests(await runKubectlKustomize(kubectl, resolved), path.join(resolved, kustomization)).map(({ object }) => ({ object, origin: { file: path.join(resolved, kustomization) } }));
      source = { kind: 'kustomization', path: resolved };
    } else {
      objects = [];
      for (const entry of entries) {
        // Hidden files (the capture marker, editor leftovers) are not manifests.
        if (entry.startsWith('.') || !MANIFEST_EXTENSIONS.has(path.extname(entry))) continue;
        const file = path.join(resolved, entry);
        if (!(await fs.stat(file)).isFile()) continue;
        objects.push(...parseManifests(await fs.readFile(file, 'utf8'), file));
      }
      source = (await captureMarker(resolved)) ?? { kind: 'folder', path: resolved };
    }
  }
  if (objects.length === 0) throw new AppError('BUNDLE_INVALID', `${target} holds no Kubernetes objects.`, { fix: 'Point at a folder of .yaml files, a manifest file or a kustomization.' });
  rejectDuplicates(objects);
  return { name, source, objects };
}
