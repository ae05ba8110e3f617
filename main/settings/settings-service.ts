import { EventEmitter } from 'node:events';
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
 */
export class SettingsService {
  private readonly events = new EventEmitter();
  private cached: Settings | undefined;

  constructor(
    private readonly backend: SettingsBackend,
    private readonly log: Logger,
  ) {}

  get path(): string {
    return this.backend.path;
  }

  get(): Settings {
    this.cached ??= this.read();
    return structuredClone(this.cached);
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
    this.events.emit('change', structuredClone(next));
    return structuredClone(next);
  }
}
