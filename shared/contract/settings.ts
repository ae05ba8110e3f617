import { z } from 'zod';
import { event, method } from './define';
import { settingsPatchSchema, type Settings, type SettingsPatch } from '../models/settings';

/** The typed settings store (electron-store in the app; the same file in serve mode and the CLI). */
export const settingsContract = {
  get: method<Record<string, never>, Settings>(z.object({}).strict()),
  /** Applies a partial update and answers the whole new settings. */
  update: method<SettingsPatch, Settings>(settingsPatchSchema),
  /** Fires with the whole settings after every change. */
  onDidChange: event<Record<string, never>, Settings>(z.object({}).strict()),
} as const;
