#!/usr/bin/env node
// `npm test`: build, typecheck, lint, then every vitest project (unit, dom, integration, e2e).
// Integration and e2e tests need the control-plane binaries (`npm run k8s:build`); under CI=true
// their absence fails the run instead of skipping.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build', ['npm', 'run', '-s', 'build']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['tests', ['npx', 'vitest', 'run', '--project', 'unit', '--project', 'dom', '--project', 'integration', '--project', 'e2e', ...process.argv.slice(2)]],
];

for (const [name, [cmd, ...args]] of steps) {
  process.stdout.write(`\n== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stdout.write(`\n== ${name} failed (exit ${result.status ?? result.signal})\n`);
    if (name !== 'tests') process.stdout.write(`0 passed, 1 failed, 0 skipped\n`);
    process.exit(result.status || 1);
  }
}
