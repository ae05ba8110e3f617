import { z } from 'zod';
import { promotionProfileSchema } from './promote-profile';

/** Where a tool binary comes from when the user pins it; empty means "find it". */
export const toolPathsSchema = z
  .object({
    docker: z.string(),
    podman: z.string(),
    kind: z.string(),
    k3d: z.string(),
    kubectl: z.string(),
    helm: z.string(),
    kwokctl: z.string(),
    nvidiaSmi: z.string(),
    nvidiaCtk: z.string(),
  })
  .partial();

export const themeSchema = z.enum(['system', 'light', 'dark']);

/**
 * The one settings schema, used by electron-store in the app and by the same file in serve mode
 * and the CLI. Holds no secrets: credentials stay in kubeconfig files and their plugins.
 */
export const settingsSchema = z.object({
  theme: themeSchema.default('system'),
  /** SHA-256 keys of (kubeconfig path, command, args) the user allowed to run. */
  execConsents: z.array(z.string().regex(/^[a-f0-9]{64}$/)).default([]),
  toolPaths: toolPathsSchema.default({}),
  /** Extra kubeconfig files shown beside KUBECONFIG / ~/.kube/config. */
  extraKubeconfigs: z.array(z.string().min(1)).default([]),
  /** Promotion profiles, one per target (names are unique); also shareable as YAML files. */
  promotionProfiles: z.array(promotionProfileSchema).default([]),
});

export type Settings = z.infer<typeof settingsSchema>;
export type Theme = z.infer<typeof themeSchema>;

/** A partial update; arrays and objects replace what was there. */
export const settingsPatchSchema = z
  .object({
    theme: themeSchema,
    toolPaths: toolPathsSchema,
    extraKubeconfigs: z.array(z.string().min(1)),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
