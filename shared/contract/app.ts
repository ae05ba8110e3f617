import { z } from 'zod';
import { method } from './define';

export interface AppInfo {
  version: string;
  /** Which face serves this backend. */
  face: 'electron' | 'serve' | 'cli';
  platform: string;
  configDir: string;
}

/** Facts about the running backend. */
export const appContract = {
  /** Version, face and where settings live. Never fails. */
  getInfo: method<Record<string, never>, AppInfo>(z.object({}).strict()),
} as const;
