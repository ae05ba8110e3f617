import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function portForwardHandlers({ portForward }: Services): Handlers<SlipwayContract>['portForward'] {
  return {
    start: (req) => portForward.start(req),
    list: () => portForward.list(),
    stop: ({ id }) => {
      portForward.stop(id);
      return { ok: true as const };
    },
    onDidChange: (_params, emit) => portForward.onDidChange(emit),
  };
}
