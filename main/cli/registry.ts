import type { CliCommand } from './command';
import { contextsCommand } from './commands/contexts';
import { serveCommand } from './commands/serve';

/** Every `slipway` command, in the order `slipway --help` lists them. */
export const commands: CliCommand[] = [contextsCommand, serveCommand];
