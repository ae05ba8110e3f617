import type { SlipwayContract } from '../../../shared/contract';
import type { Services } from '../../services';
import type { Handlers } from '../handlers';

export function terminalHandlers({ terminal }: Services): Handlers<SlipwayContract>['terminal'] {
  return {
    open: ({ target, cols, rows }, emit) => terminal.open(target, { cols, rows }, emit),
    write: ({ sessionId, data }) => {
      terminal.write(sessionId, data);
      return { ok: true as const };
    },
    resize: ({ sessionId, cols, rows }) => {
      terminal.resize(sessionId, cols, rows);
      return { ok: true as const };
    },
  };
}
