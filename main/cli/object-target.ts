import { AppError } from '../../shared/errors';
import { TRAINING_REGISTRY } from '../../shared/k8s/training-kinds';

/** Short and plural names a user types, as kubectl knows them, for the kinds Slipway acts on. */
const ALIASES: Record<string, { group: string; kind: string }> = {};
const add = (group: string, kind: string, ...names: string[]) => {
  for (const n of [kind.toLowerCase(), `${kind.toLowerCase()}s`, ...names]) ALIASES[n] = { group, kind };
};
add('', 'Pod', 'po');
add('', 'Node', 'no');
add('', 'PersistentVolumeClaim', 'pvc');
add('', 'Service', 'svc');
add('apps', 'Deployment', 'deploy');
add('apps', 'StatefulSet', 'sts');
add('apps', 'ReplicaSet', 'rs');
add('apps', 'DaemonSet', 'ds');
add('batch', 'CronJob', 'cj');
// Every training kind by its name and plural (job, pytorchjob, rayjobs, …).
for (const entry of TRAINING_REGISTRY) add(entry.group, entry.kind, entry.plural);

/**
 * Parses `KIND/NAME` as kubectl writes it: `pod/web-1`, `deploy/web`, `job/train`, or any kind as
 * `Kind.group/NAME` (`PyTorchJob.kubeflow.org/mnist`).
 */
export function parseObjectTarget(raw: string): { group: string; kind: string; name: string } {
  const slash = raw.indexOf('/');
  const type = slash > 0 ? raw.slice(0, slash) : '';
  const name = slash > 0 ? raw.slice(slash + 1) : '';
  if (!type || !name || name.includes('/')) {
    throw new AppError('INVALID_ARGUMENT', `"${raw}" is not KIND/NAME.`, { fix: 'e.g. pod/web-1, deploy/web, job/train, PyTorchJob.kubeflow.org/mnist.' });
  }
  const known = ALIASES[type.toLowerCase()];
  if (known) return { ...known, name };
  const dot = type.indexOf('.');
  if (dot > 0 && /^[A-Z][A-Za-z0-9]*$/.test(type.slice(0, dot))) return { group: type.slice(dot + 1), kind: type.slice(0, dot), name };
  throw new AppError('INVALID_ARGUMENT', `Unknown kind "${type}".`, { fix: `Use one of ${Object.keys(ALIASES).filter((a) => !a.endsWith('s')).join(', ')}, or Kind.group (e.g. PyTorchJob.kubeflow.org).` });
}
