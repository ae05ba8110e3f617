import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function objectsHandlers({ objects }: Services): Handlers<SlipwayContract>['objects'] {
  return {
    get: ({ key, showManagedFields }) => objects.get(key, { showManagedFields }),
    act: ({ key, action }) => objects.act(key, action),
    planEdit: ({ key, yaml }) => objects.planEdit(key, yaml),
    applyEdit: ({ key, yaml, force }) => objects.applyEdit(key, yaml, { force }),
  };
}
