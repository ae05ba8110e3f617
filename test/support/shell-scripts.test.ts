import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const have = spawnSync('shellcheck', ['--version']).status === 0;
if (!have) {
  if (process.env.CI === 'true') throw new Error('CI=true and the shell-script check needs shellcheck (apt-get install shellcheck)');
  process.stdout.write('SKIPPED (shell scripts: needs shellcheck — apt-get install shellcheck)\n');
}

const shellFiles = (dir: string) => fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.sh')).map((f) => path.join(dir, f));

/** Shell that runs inside nodes or builds images is code too: shellcheck-clean, every file. */
describe.runIf(have)('shell scripts', () => {
  it.each([
    ['resources/node (run inside kind nodes, POSIX sh)', shellFiles('resources/node'), ['-s', 'sh']],
    ['scripts/kind-image', shellFiles('scripts/kind-image'), []],
    ['scripts and test Docker', [...shellFiles('scripts'), 'test/support/docker/test-docker.sh'], []],
  ])('%s are shellcheck-clean', (_, files, flags) => {
    expect(files.length).toBeGreaterThan(0);
    const result = spawnSync('shellcheck', [...flags, ...files], { cwd: root, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
