import type { SlipwayContract } from '../../../shared/contract';
import { createClusterRequestSchema } from '../../../shared/models/clusters';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function doctorHandlers({ doctor, preflight }: Services): Handlers<SlipwayContract>['doctor'] {
  return {
    run: (request) => doctor.run({ smokeTest: Boolean(request.smokeTest) }),
    preflight: (request) => preflight.run(createClusterRequestSchema.parse(request)),
  };
}
