import { useEffect, useState } from 'react';

/**
 * A tab's sub-path `CONTEXT/NAMESPACE/NAME[/…]` names one object to open (the command palette
 * links there). Returns that object's row when this tab shows that context and the row is loaded.
 */
export function linkedRow<R extends { key: string; name: string; namespace?: string }>(rows: readonly R[], context: string, rest: readonly string[]): R | undefined {
  if (rest[0] !== context || !rest[2]) return undefined;
  return rows.find((r) => r.name === rest[2] && (r.namespace ?? '') === (rest[1] ?? ''));
}

/** Whether the sub-path names an object of this context at all (to say when it is not there). */
export function linksInto(context: string, rest: readonly string[]): boolean {
  return rest[0] === context && Boolean(rest[2]);
}

/**
 * The selected row of a table: a click picks one; a link (the sub-path) picks one when nothing
 * was clicked since the link changed.
 */
export function useLinkedSelection<R extends { key: string; name: string; namespace?: string }>(rows: readonly R[], context: string, rest: readonly string[]) {
  const [clicked, setClicked] = useState<string>();
  const link = rest.join('/');
  // A new link wins over an earlier click.
  useEffect(() => setClicked(undefined), [link]);
  const linked = linkedRow(rows, context, rest);
  return { selected: clicked ?? linked?.key, select: setClicked, linked };
}
