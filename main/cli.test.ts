import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli';
import { captureStream, tempDir } from '../test/support/fixtures';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = captureStream();
  const stderr = captureStream();
  const t = tempDir();
  try {
    const code = await runCli(args, { stdout, stderr, env: { HOME: t.dir, SLIPWAY_CONFIG_DIR: path.join(t.dir, 'c'), ...env } });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    t.cleanup();
  }
}

describe('slipway CLI', () => {
  it('prints help listing the commands', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('contexts');
    expect(stdout).toContain('serve');
  });

  it('fails an unknown command with exit 2 and one line on stderr', async () => {
    const { code, stderr } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('[INVALID_ARGUMENT]');
  });

  it('fails an unknown flag with the usage line', async () => {
    const { code, stderr } = await cli(['contexts', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: slipway contexts/);
  });

  it('lists no contexts with a next step when there is no kubeconfig', async () => {
    const { code, stdout } = await cli(['contexts']);
    expect(code).toBe(0);
    expect(stdout).toContain('slipway cluster create');
    const json = await cli(['contexts', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ contexts: [], problems: [] });
  });

  it('validates serve flags before starting anything', async () => {
    const { code, stderr } = await cli(['serve', '--port', 'abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a number');
    const exposed = await cli(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toContain('--unsafe-expose');
  });
});
