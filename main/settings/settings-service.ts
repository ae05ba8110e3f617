import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { settingsSchema, type Settings, type SettingsPatch } from '../../shared/models/settings';
import { toDisposable, type Disposable } from '../../shared/disposable';
import type { Logger } from '../logger';

/**
 * The storage under the settings: electron-store in the app, `conf` in serve mode and the CLI.
 * Both expose the whole document as `store` and write it atomically to `path`.
 */
export interface SettingsBackend {
  readonly path: string;
  store: Record<string, unknown>;
}

/**
 * Typed settings over one JSON file. Reads are validated field by field: a field that does not
 * match the schema falls back to its default and the rest are kept, so a hand-edited typo never
 * wipes the user's settings.
 *
 * The file is shared by every face (the app, serve mode, the CLI), so the cache is only trusted
 * while the file is the one it was read from: every {@link get} compares the file's identity
 * (inode, size, mtime) and re-reads on a change, and every write starts from the file as it is
 * now. A consent revoked in the app is therefore gone in a running serve process at its next
 * check, and that process's next write cannot restore it. {@link watch} also re-reads on file
 * events, so subscribers hear of changes made by another process.
 */
export class SettingsService {
  private readonly events = new EventEmitter();
  private cached: Settings | undefined;
  private stamp = '';
  /** The settings listeners last heard of (JSON), so a change read by a plain get() is still announced. */
  private announced: string | undefined;

  constructor(
    private readonly backend: SettingsBackend,
    private readonly log: Logger,
  ) {}

  get path(): string {
    return this.backend.path;
  }

  get(): Settings {
    const stamp = fileStamp(this.backend.path);
    if (this.cached === undefined || stamp !== this.stamp) {
      const first = this.cached === undefined;
      this.cached = this.read();
      this.stamp = stamp;
      if (first) this.announced = JSON.stringify(this.cached);
    }
    return structuredClone(this.cached);
  }

  /**
   * Watches the settings file for writes by other processes and tells listeners when the
   * settings changed. The folder is watched, not the file: the backends replace the file by
   * rename, which a watch on the file itself would lose.
   */
  watch(): Disposable {
    const dir = path.dirname(this.backend.path);
    const name = path.basename(this.backend.path);
    let watcher: fs.FSWatcher | undefined;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      watcher = fs.watch(dir, { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name) this.refresh();
      });
      watcher.on('error', (error) => this.log.warn(`settings: watching ${dir} failed: ${error.message}`));
    } catch (error) {
      this.log.warn(`settings: cannot watch ${dir}; changes from other processes apply at the next read: ${(error as Error).message}`);
    }
    return toDisposable(() => watcher?.close());
  }

  /** Re-reads the file when it changed and emits `change` when the settings differ. */
  refresh(): void {
    const now = this.get();
    const text = JSON.stringify(now);
    if (text === this.announced) return;
    this.announced = text;
    this.events.emit('change', now);
  }

  update(patch: SettingsPatch): Settings {
    const next = settingsSchema.parse({ ...this.get(), ...patch });
    return this.write(next);
  }

  /** Changes settings with a function of the current value; for services (consents, profiles). */
  mutate(change: (current: Settings) => Settings): Settings {
    return this.write(settingsSchema.parse(change(this.get())));
  }

  onDidChange(listener: (settings: Settings) => void): Disposable {
    this.events.on('change', listener);
    return toDisposable(() => this.events.off('change', listener));
  }

  private read(): Settings {
    let raw: Record<string, unknown>;
    try {
      raw = this.backend.store;
    } catch (error) {
      this.log.warn(`settings: ${this.backend.path} is unreadable, using defaults: ${(error as Error).message}`);
      return settingsSchema.parse({});
    }
    const whole = settingsSchema.safeParse(raw);
    if (whole.success) return whole.data;
    const kept: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(settingsSchema.shape)) {
      const one = field.safeParse(raw[key]);
      if (one.success) kept[key] = one.data;
      else this.log.warn(`settings: ignoring invalid "${key}" in ${this.backend.path}`);
    }
    return settingsSchema.parse(kept);
  }

  private write(next: Settings): Settings {
    try {
      this.backend.store = next as unknown as Record<string, unknown>;
    } catch (error) {
      throw new AppError('UNAVAILABLE', `Could not save settings to ${this.backend.path}.`, {
        fix: 'Check that the folder is writable.',
        cause: error,
      });
    }
    this.cached = next;
    this.stamp = fileStamp(this.backend.path);
    this.announced = JSON.stringify(next);
    this.events.emit('change', structuredClone(next));
    return structuredClone(next);
  }
}

/** The identity of a file's current content, as cheaply as the OS gives it; '' when absent. */
function fileStamp(file: string): string {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return '';
  }
}
