#!/usr/bin/env node
// The `slipway` bin: runs the built CLI (npm run build writes out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('slipway: [UNAVAILABLE] Slipway is not built — run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(built);
await main();
