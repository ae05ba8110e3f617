import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function imagesHandlers({ images }: Services): Handlers<SlipwayContract>['images'] {
  return {
    load: (request, io) => images.load(request, io),
  };
}
