import { z } from 'zod';

/**
 * The subset of the kubeconfig format Slipway reads. Unknown fields pass through untouched;
 * known ones are type-checked so a malformed file is reported with the field's line.
 */
const execSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).nullish(),
    env: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    apiVersion: z.string().optional(),
    installHint: z.string().optional(),
    provideClusterInfo: z.boolean().optional(),
    interactiveMode: z.string().optional(),
  })
  .passthrough();

const authProviderSchema = z
  .object({ name: z.string().min(1), config: z.record(z.string(), z.string()).nullish() })
  .passthrough();

export const kubeconfigClusterSchema = z
  .object({
    server: z.string().min(1),
    'certificate-authority': z.string().optional(),
    'certificate-authority-data': z.string().optional(),
    'insecure-skip-tls-verify': z.boolean().optional(),
    'tls-server-name': z.string().optional(),
    'proxy-url': z.string().optional(),
  })
  .passthrough();

export const kubeconfigUserSchema = z
  .object({
    'client-certificate': z.string().optional(),
    'client-certificate-data': z.string().optional(),
    'client-key': z.string().optional(),
    'client-key-data': z.string().optional(),
    token: z.string().optional(),
    tokenFile: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    exec: execSchema.optional(),
    'auth-provider': authProviderSchema.optional(),
  })
  .passthrough();

export const kubeconfigContextSchema = z
  .object({ cluster: z.string().min(1), user: z.string().default(''), namespace: z.string().optional() })
  .passthrough();


export const kubeconfigFileSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    'current-context': z.string().nullish(),
    clusters: z.array(z.object({ name: z.string().min(1), cluster: kubeconfigClusterSchema }).passthrough()).nullish(),
    users: z.array(z.object({ name: z.string().min(1), user: kubeconfigUserSchema }).passthrough()).nullish(),
    contexts: z.array(z.object({ name: z.string().min(1), context: kubeconfigContextSchema }).passthrough()).nullish(),
  })
  .passthrough();

export type KubeconfigCluster = z.infer<typeof kubeconfigClusterSchema>;
export type KubeconfigUser = z.infer<typeof kubeconfigUserSchema>;
export type KubeconfigContext = z.infer<typeof kubeconfigContextSchema>;
export type KubeconfigFile = z.infer<typeof kubeconfigFileSchema>;
