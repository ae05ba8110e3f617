/**
 * The whole RPC contract. One runtime object feeds the preload allowlist, both transports, the
 * router (whose handler table must cover it) and the renderer client.
 */
import { flattenContract } from './define';
import { appContract } from './app';
import { contextsContract } from './contexts';
import { settingsContract } from './settings';
import { clustersContract } from './clusters';

export const contract = {
  app: appContract,
  contexts: contextsContract,
  settings: settingsContract,
  clusters: clustersContract,
} as const;

export type SlipwayContract = typeof contract;

/** wire name → descriptor, for validation and allowlists. */
export const contractTable = flattenContract(contract);

export * from './define';
