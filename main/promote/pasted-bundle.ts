import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AppError } from '../../shared/errors';
import { ensurePrivateDir, writePrivateFile } from '../fs/private-files';

/**
 * Turns pasted YAML into a bundle folder the promotion engine reads like any other: the same text
 * lands in the same folder (named by its hash), so applying it twice is one bundle in the history
 * and its rollback undoes exactly what it did. Files are private (0600 in a 0700 folder): pasted
 * manifests may hold Secrets.
 */
export function stagePastedYaml(pastedDir: string, yaml: string): { path: string } {
  const docs = parseAllDocuments(yaml);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line;
      throw new AppError('BUNDLE_INVALID', `The pasted YAML does not parse${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]}`, { fix: 'Fix the YAML and try again; nothing was applied.' });
    }
  }
  const objects = list.map((d) => d.toJS() as unknown).filter((o) => o !== null && o !== undefined);
  if (objects.length === 0) throw new AppError('BUNDLE_INVALID', 'The pasted text holds no Kubernetes object.', { fix: 'Paste manifests with apiVersion, kind and metadata.' });
  const hash = createHash('sha256').update(yaml).digest('hex').slice(0, 10);
  const dir = path.join(pastedDir, `pasted-${hash}`);
  ensurePrivateDir(pastedDir);
  ensurePrivateDir(dir);
  writePrivateFile(path.join(dir, 'pasted.yaml'), yaml);
  return { path: dir };
}
