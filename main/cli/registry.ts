import type { CliCommand } from './command';
import { contextsCommand } from './commands/contexts';
import { clusterCreateCommand } from './commands/cluster-create';
import { clusterListCommand } from './commands/cluster-list';
import { clusterDeleteCommand } from './commands/cluster-delete';
import { clusterStartCommand, clusterStopCommand } from './commands/cluster-start-stop';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { promoteCommand } from './commands/promote';
import { captureCommand } from './commands/capture';
import { historyCommand } from './commands/history';
import { rollbackCommand } from './commands/rollback';
import { exportCommand } from './commands/export';
import { demoCommand } from './commands/demo';
import { clusterConfigCommand } from './commands/cluster-config';
import { doctorCommand } from './commands/doctor';
import { gpusCommand } from './commands/gpus';
import { imageLoadCommand } from './commands/image';
import { portForwardCommand } from './commands/port-forward';
import { applyCommand } from './commands/apply';
import { metricsListCommand, metricsSetCommand } from './commands/metrics';
import { deleteCommand, resumeCommand, scaleCommand, suspendCommand } from './commands/object-actions';

/** Every `slipway` command, in the order `slipway --help` lists them. */
export const commands: CliCommand[] = [contextsCommand, clusterCreateCommand, clusterListCommand, clusterDeleteCommand, clusterStartCommand, clusterStopCommand, clusterConfigCommand, imageLoadCommand, doctorCommand, gpusCommand, statusCommand, portForwardCommand, deleteCommand, scaleCommand, suspendCommand, resumeCommand, metricsSetCommand, metricsListCommand, applyCommand, promoteCommand, captureCommand, historyCommand, rollbackCommand, exportCommand, demoCommand, serveCommand];
