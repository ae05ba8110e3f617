#!/usr/bin/env node
// `npm test`: builds what the tests need (control plane, real kind, Docker, kind node image — each
// cached after the first run, see scripts/prerequisites.mjs), then build, typecheck, lint and
// every vitest project (unit, dom, integration, e2e). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { prepare } from './prerequisites.mjs';

const { env, stop } = prepare();
const steps = [
  ['build', ['npm', 'run', '-s', 'build']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['tests', ['npx', 'vitest', 'run', '--project', 'unit', '--project', 'dom', '--project', 'integration', '--project', 'e2e', ...process.argv.slice(2)]],
];

let status = 0;
for (const [name, [cmd, ...args]] of steps) {
  process.stdout.write(`\n== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stdout.write(`\n== ${name} failed (exit ${result.status ?? result.signal})\n`);
    if (name !== 'tests') process.stdout.write(`0 passed, 1 failed, 0 skipped\n`);
    status = result.status || 1;
    break;
  }
}
stop();
process.exit(status);
