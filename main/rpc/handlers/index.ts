import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';
import { clustersHandlers } from './clusters';
import { doctorHandlers } from './doctor';
import { gpuHandlers } from './gpu';
import { imagesHandlers } from './images';
import { promoteHandlers } from './promote';
import { kubeHandlers } from './kube';
import { viewsHandlers } from './views';
import { terminalHandlers } from './terminal';
import { tasksHandlers } from './tasks';
import { portForwardHandlers } from './port-forward';
import { objectsHandlers } from './objects';
import { metricsHandlers } from './metrics';

/** Binds every contract entry to a service call. Thin: logic lives in the services. */
export function createHandlers(services: Services): Handlers<SlipwayContract> {
  const { platform, settings, contexts } = services;
  return {
    app: {
      getInfo: () => ({
        version: platform.version,
        face: platform.face,
        platform: process.platform,
        configDir: platform.configDir,
      }),
    },
    contexts: {
      list: (req) => contexts.list(req),
      grantExecConsent: async (req) => {
        await contexts.grantExecConsent(req);
        return { granted: true as const };
      },
      revokeExecConsent: (req) => ({ revoked: contexts.revokeExecConsent(req) }),
    },
    settings: {
      get: () => settings.get(),
      update: (patch) => settings.update(patch),
      onDidChange: (_params, emit) => settings.onDidChange(emit),
    },
    clusters: clustersHandlers(services),
    doctor: doctorHandlers(services),
    gpu: gpuHandlers(services),
    images: imagesHandlers(services),
    promote: promoteHandlers(services),
    kube: kubeHandlers(services),
    views: viewsHandlers(services),
    terminal: terminalHandlers(services),
    tasks: tasksHandlers(services),
    portForward: portForwardHandlers(services),
    objects: objectsHandlers(services),
    metrics: metricsHandlers(services),
  };
}
