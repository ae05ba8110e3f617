/**
 * Errors that cross every boundary of Slipway (RPC, CLI, logs) carry a stable code, a message for
 * people, an optional one-line fix and optional structured details. Never throw bare strings
 * across a boundary: wrap them in {@link AppError}.
 */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CANCELLED',
  'TIMEOUT',
  'UNAVAILABLE',
  'KUBECONFIG_INVALID',
  'KUBECONFIG_NOT_FOUND',
  'CONTEXT_NOT_FOUND',
  'EXEC_CONSENT_REQUIRED',
  'EXEC_PLUGIN_FAILED',
  'CLUSTER_UNREACHABLE',
  'KUBE_API_ERROR',
  'CONFLICT',
  'TOOL_NOT_FOUND',
  'TOOL_FAILED',
  'DOCKER_UNAVAILABLE',
  'GPU_UNAVAILABLE',
  'PORT_IN_USE',
  'PREFLIGHT_FAILED',
  'BUNDLE_INVALID',
  'PROFILE_INVALID',
  'INSECURE_CONNECTION',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialized form of an {@link AppError}; identical on every transport. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** One line telling the user what to do about it. */
  fix?: string;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fix?: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { fix?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fix = options.fix;
    this.details = options.details;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.fix !== undefined) wire.fix = this.fix;
    if (this.details !== undefined) wire.details = this.details;
    return wire;
  }

  static fromWire(wire: WireError): AppError {
    return new AppError(isErrorCode(wire.code) ? wire.code : 'INTERNAL', wire.message, {
      fix: wire.fix,
      details: wire.details,
    });
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Turns anything thrown into an AppError; unknown errors become INTERNAL with their message kept. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error) {
    if (error.name === 'AbortError') return new AppError('CANCELLED', 'The operation was cancelled.', { cause: error });
    return new AppError('INTERNAL', error.message, { cause: error });
  }
  return new AppError('INTERNAL', String(error));
}

/** One line for a terminal or a log: `[CODE] message — fix`. */
export function formatError(error: WireError | AppError): string {
  return `[${error.code}] ${error.message}${error.fix ? ` — ${error.fix}` : ''}`;
}
