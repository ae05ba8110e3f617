import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function viewsHandlers({ views }: Services): Handlers<SlipwayContract>['views'] {
  return {
    watch: (req, emit) => views.watchView(req, emit),
    status: ({ context, namespace }) => views.statusReport(context, namespace),
    trainingJobDetails: (req) => views.trainingJobDetails(req),
    hpaHistory: (req) => views.hpaHistoryOf(req),
    installMetricsServer: ({ context }) => views.installMetricsServer(context),
  };
}
