#!/usr/bin/env node
// `npm run bench`: runs every benchmark in test/bench (vitest project "bench"); each writes its
// figures to test/bench/results/<name>.json. Builds what they need first (scripts/prerequisites.mjs);
// serve-mode benchmarks also need `npm run build`.
import { spawnSync } from 'node:child_process';
import { prepare } from './prerequisites.mjs';

const { env, stop } = prepare();
const result = spawnSync('npx', ['vitest', 'run', '--project', 'bench', ...process.argv.slice(2)], { stdio: 'inherit', env });
stop();
process.exit(result.status ?? 1);
