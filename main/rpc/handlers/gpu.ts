import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function gpuHandlers({ gpus }: Services): Handlers<SlipwayContract>['gpu'] {
  return {
    list: () => gpus.list(),
  };
}
