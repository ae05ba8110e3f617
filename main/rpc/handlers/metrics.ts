import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function metricsHandlers({ metrics }: Services): Handlers<SlipwayContract>['metrics'] {
  return {
    set: (request) => metrics.set(request),
    list: ({ context, namespace }) => metrics.list(context, namespace),
  };
}
