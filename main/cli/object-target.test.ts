import { describe, expect, it } from 'vitest';
import { parseObjectTarget } from './object-target';

describe('parseObjectTarget', () => {
  it('reads kubectl’s short and plural names and Kind.group', () => {
    expect(parseObjectTarget('po/web-1')).toEqual({ group: '', kind: 'Pod', name: 'web-1' });
    expect(parseObjectTarget('deploy/web')).toEqual({ group: 'apps', kind: 'Deployment', name: 'web' });
    expect(parseObjectTarget('jobs/train')).toEqual({ group: 'batch', kind: 'Job', name: 'train' });
    expect(parseObjectTarget('pytorchjob/mnist')).toEqual({ group: 'kubeflow.org', kind: 'PyTorchJob', name: 'mnist' });
    expect(parseObjectTarget('Notebook.kubeflow.org/nb')).toEqual({ group: 'kubeflow.org', kind: 'Notebook', name: 'nb' });
  });

  it('refuses what is not KIND/NAME, with an example', () => {
    expect(() => parseObjectTarget('web')).toThrow(/not KIND\/NAME/);
    expect(() => parseObjectTarget('widget/x')).toThrow(/Unknown kind "widget"/);
    expect(() => parseObjectTarget('pod/a/b')).toThrow(/not KIND\/NAME/);
  });
});
