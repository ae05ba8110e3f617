/**
 * Polls `read` until `done` holds, or fails after `timeoutMs` with what it waited for and the
 * last value read, so a timeout says where things stood. Bounded polling of a real cluster:
 * controllers act within seconds on an idle machine, and a busy CI machine gets the slack.
 */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}
