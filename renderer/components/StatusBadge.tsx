export type BadgeTone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

/** A small coloured label; the text always carries the meaning, colour only repeats it. */
export function StatusBadge({ tone, children, title }: { tone: BadgeTone; children: string; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}
