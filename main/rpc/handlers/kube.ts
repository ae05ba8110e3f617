import type { SlipwayContract } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { DisposableStore } from '../../../shared/disposable';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';
import { followLogs, getLogs } from '../../terminal/pod-logs';
import { displayName } from '../../kube/resources/names';

export function kubeHandlers({ watch, clients }: Services): Handlers<SlipwayContract>['kube'] {
  return {
    watch: (key, emit) => watch.subscribe(key, emit),
    onDidChangeContextStatus: ({ contexts }, emit) => {
      const store = new DisposableStore();
      for (const context of new Set(contexts)) {
        store.add(watch.onContextStatus(context, emit));
        emit(watch.contextStatus(context));
      }
      return store;
    },
    list: async (key) => {
      const result = await watch.list(key);
      if (!result.served) throw new AppError('NOT_FOUND', `${key.context} does not serve ${displayName(key.resource)}.`, { fix: 'Install the CRD that defines it.' });
      return { items: result.items, resourceVersion: result.resourceVersion };
    },
    getLogs: async (req) => getLogs(await clients.forContext(req.context), req),
    followLogs: async (req, emit) => followLogs(await clients.forContext(req.context), req, emit),
  };
}
