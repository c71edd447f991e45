import { z } from 'zod';

/** Configuration from the environment, parsed once; defaults serve the embedded setup. */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(5433),
  DATA_DIR: z.string().default('.data'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs customers' one-time answer links; set a long random value in production. */
  LINK_SECRET: z.string().min(16).default('embedded-default-link-secret-change-me'),
  /** Where customers open answer links (the API's public address). */
  PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** The firm's name, shown to customers on answer pages and in messages. */
  FIRM_NAME: z.string().min(1).max(100).default('Northwind Service'),
  /** A prebuilt workflow bundle for verified replay; without it the API bundles the code once, on first use. */
  WORKFLOW_BUNDLE: z.string().optional(),
  /** Seed demo users, customers and templates (the embedded default). */
  SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  return parsed.data;
}
