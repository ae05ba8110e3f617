import path from 'node:path';
import { runCli } from '../../main/cli';
import { captureStream } from './fixtures';

/**
 * `slipway …` run in this process against one kubeconfig, with its own HOME and config dir, so
 * it never reads the developer's; resolves with the exit code and both outputs.
 */
export function inProcessCli(kubeconfig: () => string, home: string) {
  return async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const stdout = captureStream();
    const stderr = captureStream();
    const code = await runCli(argv, { stdout, stderr, env: { ...process.env, KUBECONFIG: kubeconfig(), HOME: home, SLIPWAY_CONFIG_DIR: path.join(home, 'config') } });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };
}
