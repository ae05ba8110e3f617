/** The lines a log view keeps: the newest `max`, so following a chatty pod for hours stays bounded. */
export function appendLines(lines: readonly string[], more: readonly string[], max = 20_000): string[] {
  const next = lines.length + more.length > max ? [...lines.slice(lines.length + more.length - max), ...more.slice(-max)] : [...lines, ...more];
  return next.length > max ? next.slice(-max) : next;
}

/** Lines containing `query` (case-insensitive), with their line numbers. */
export function searchLines(lines: readonly string[], query: string): { n: number; text: string }[] {
  const q = query.toLowerCase();
  const out: { n: number; text: string }[] = [];
  lines.forEach((text, i) => {
    if (!q || text.toLowerCase().includes(q)) out.push({ n: i + 1, text });
  });
  return out;
}
