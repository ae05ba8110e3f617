/** A minimal logger; the composition roots decide where lines go. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createConsoleLogger(prefix = 'slipway', sink: NodeJS.WritableStream = process.stderr): Logger {
  const line = (level: string, message: string) =>
    sink.write(`${new Date().toISOString()} ${prefix} ${level} ${message}\n`);
  return {
    info: (message) => line('info', message),
    warn: (message) => line('warn', message),
    error: (message, error) =>
      line('error', error instanceof Error ? `${message}: ${error.stack ?? error.message}` : message),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
