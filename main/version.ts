import pkg from '../package.json' with { type: 'json' };

/** Slipway's version, from package.json at build time. */
export const SLIPWAY_VERSION: string = pkg.version;
