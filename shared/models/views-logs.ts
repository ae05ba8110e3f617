/** Pod logs and terminal wire types. */

export interface LogRequest {
  context: string;
  namespace: string;
  pod: string;
  container?: string;
  /** Lines from the end to start with (follow) or to fetch. */
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
}

/** A follow stream: lines batched about every 100 ms, then `ended` (with an error when it failed). */
export type LogChunk = { type: 'lines'; lines: string[] } | { type: 'ended'; error?: import('../errors').WireError };

export interface LogText {
  text: string;
  /** The server stopped at the byte limit. */
  truncated: boolean;
}

export type TerminalTarget =
  | { kind: 'pod'; context: string; namespace: string; pod: string; container?: string; command?: string[] }
  | { kind: 'local'; context?: string };

export type TerminalEvent =
  | { type: 'started'; sessionId: string; description: string; pty: boolean }
  | { type: 'output'; data: string }
  | { type: 'exit'; code: number | null; error?: import('../errors').WireError };
