/** The local URL of a forward: always 127.0.0.1, never `localhost` (which may resolve to ::1). */
export function forwardUrl(localPort: number): string {
  return `http://127.0.0.1:${localPort}`;
}

/**
 * Whether `raw` points at one of `activePorts` on 127.0.0.1 over http, with no credentials in
 * it: what the window may open for the Forwards page.
 */
export function isForwardUrl(raw: string, activePorts: Iterable<number>): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.username || url.password || url.port === '') return false;
  const port = Number(url.port);
  for (const active of activePorts) if (active === port) return true;
  return false;
}
