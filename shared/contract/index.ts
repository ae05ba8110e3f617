/**
 * The whole RPC contract. One runtime object feeds the preload allowlist, both transports, the
 * router (whose handler table must cover it) and the renderer client.
 */
import { flattenContract } from './define';
import { appContract } from './app';
import { contextsContract } from './contexts';
import { settingsContract } from './settings';
import { clustersContract } from './clusters';
import { doctorContract } from './doctor';
import { gpuContract } from './gpu';
import { imagesContract } from './images';
import { promoteContract } from './promote';
import { kubeContract } from './kube';
import { viewsContract } from './views';
import { terminalContract } from './terminal';
import { tasksContract } from './tasks';
import { portForwardContract } from './port-forward';
import { objectsContract } from './objects';
import { metricsContract } from './metrics';

export const contract = {
  app: appContract,
  contexts: contextsContract,
  settings: settingsContract,
  clusters: clustersContract,
  doctor: doctorContract,
  gpu: gpuContract,
  images: imagesContract,
  promote: promoteContract,
  kube: kubeContract,
  views: viewsContract,
  terminal: terminalContract,
  tasks: tasksContract,
  portForward: portForwardContract,
  objects: objectsContract,
  metrics: metricsContract,
} as const;

export type SlipwayContract = typeof contract;

/** wire name → descriptor, for validation and allowlists. */
export const contractTable = flattenContract(contract);

export * from './define';
