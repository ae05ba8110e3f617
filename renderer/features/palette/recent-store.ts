import { pushRecent } from './palette-model';

const KEY = 'slipway.palette-recent';

/** Ids of the entries picked last, most recent first; kept across reloads like the live selection. */
export function loadRecent(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberPick(id: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(pushRecent(loadRecent(), id)));
  } catch {
    // storage may be unavailable (private mode): recents then last for this page only
  }
}
