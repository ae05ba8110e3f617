import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function clustersHandlers({ clusters }: Services): Handlers<SlipwayContract>['clusters'] {
  return {
    list: () => clusters.list(),
    create: (request, io) => clusters.create(request, io),
    delete: async ({ provider, name }, io) => {
      await clusters.delete(provider, name, io);
      return { deleted: true as const };
    },
    start: async ({ provider, name }) => {
      const { notes } = await clusters.start(provider, name);
      return { started: true as const, notes };
    },
    stop: async ({ provider, name }) => {
      await clusters.stop(provider, name);
      return { stopped: true as const };
    },
  };
}
