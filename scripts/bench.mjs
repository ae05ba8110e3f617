#!/usr/bin/env node
// `npm run bench`: runs every benchmark in test/bench (vitest project "bench"); each writes its
// figures to test/bench/results/<name>.json. Needs `npm run build` and `npm run k8s:build`.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['vitest', 'run', '--project', 'bench', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
