#!/usr/bin/env node
// `npm test`: builds what the tests need (control plane, real kind, Docker, kind node image — each
// cached after the first run, see scripts/prerequisites.mjs), then build, typecheck, lint and the
// metrics adapter's Go tests, and every vitest project (unit, dom, integration, e2e). Extra arguments go to vitest.
import { spawn, spawnSync } from 'node:child_process';
import { prepare } from './prerequisites.mjs';

const started = Date.now();
const { env, stop } = prepare();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(0)} s`;
process.stdout.write(`\n== prerequisites ready after ${seconds(started)}\n`);

/** Runs a step with its output shown live; its exit status. */
function runLive(name, [cmd, ...args]) {
  process.stdout.write(`\n== ${name}: ${[cmd, ...args].join(' ')}\n`);
  const since = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  process.stdout.write(`== ${name} took ${seconds(since)}\n`);
  return result.status ?? 1;
}

/**
 * Runs steps side by side (typecheck and lint are each one busy core), their outputs held and
 * printed whole, one after the other; the first failing step's status, or 0.
 */
async function runTogether(steps) {
  const results = await Promise.all(
    steps.map(([name, [cmd, ...args]]) => new Promise((resolve) => {
      const since = Date.now();
      const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      child.on('error', (error) => resolve({ name, cmd: [cmd, ...args], status: 1, output: [Buffer.from(String(error))] }));
      child.on('close', (status) => resolve({ name, cmd: [cmd, ...args], status: status ?? 1, output, took: seconds(since) }));
    })),
  );
  for (const { name, cmd, output, took } of results) {
    process.stdout.write(`\n== ${name}: ${cmd.join(' ')}\n`);
    process.stdout.write(Buffer.concat(output));
    process.stdout.write(`== ${name} took ${took ?? '?'}\n`);
  }
  const failed = results.find((r) => r.status !== 0);
  return failed ? { name: failed.name, status: failed.status } : { status: 0 };
}

async function main() {
  const build = runLive('build', ['npm', 'run', '-s', 'build']);
  if (build !== 0) return fail('build', build, true);
  const checks = await runTogether([
    ['typecheck', ['npm', 'run', '-s', 'typecheck']],
    ['lint', ['npm', 'run', '-s', 'lint']],
    // The metrics adapter's own unit tests (its knob values; the HPA path is in the integration suite).
    ['metrics adapter tests', ['go', '-C', 'go/metrics-adapter', 'test', './...']],
  ]);
  if (checks.status !== 0) return fail(checks.name, checks.status, true);
  const tests = runLive('tests', ['npx', 'vitest', 'run', '--project', 'unit', '--project', 'dom', '--project', 'integration', '--project', 'e2e', ...process.argv.slice(2)]);
  if (tests !== 0) return fail('tests', tests, false);
  return 0;
}

function fail(name, status, countLine) {
  process.stdout.write(`\n== ${name} failed (exit ${status})\n`);
  // vitest prints its own count line; a step before it counts as one failure.
  if (countLine) process.stdout.write(`0 passed, 1 failed, 0 skipped\n`);
  return status || 1;
}

let status = 1;
try {
  status = await main();
} finally {
  stop();
  process.stdout.write(`== npm test took ${seconds(started)} in all\n`);
}
process.exit(status);
