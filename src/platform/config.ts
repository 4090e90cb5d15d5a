import path from 'node:path';
import { z } from 'zod';
import { isValidConfiguredKeyring, VAULT_ALGORITHMS } from './vault/keyring.js';

/** Environment variables Huitong reads; nothing else in the code reads process.env. */
const ZConfig = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  HUITONG_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HUITONG_POLICY: z.enum(['huizhou', 'guangzhou', 'wuhu', 'changsha', 'daqing', 'national']).default('huizhou'),
  HUITONG_SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  HUITONG_DEMO_PASSWORD: z.string().min(8).default('Huitong@2026'),
  HUITONG_SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  HUITONG_LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  HUITONG_LOCKOUT_MINUTES: z.coerce.number().min(1).max(24 * 60).default(15),
  HUITONG_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100000).default(20),
  HUITONG_COOKIE_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** The address the public reaches the platform at; stable IRIs in exports are built from it. */
  HUITONG_PUBLIC_URL: z.url().optional(),
  HUITONG_WEB_DIR: z.string().min(1).default('./web/dist'),
  HUITONG_XLSX_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  /** Largest data file (CSV / xlsx) uploaded into a dataset; spooled to disk, never held in memory. */
  HUITONG_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024).default(512 * 1024 * 1024),
  /** The identity vault's keys (base64 of the key file JSON); without it they live in `<dataDir>/keys/vault-keys.json`. */
  HUITONG_VAULT_KEYS: z
    .string()
    .refine(isValidConfiguredKeyring, 'must be base64 of a valid vault key file (see README)')
    .optional(),
  /** The algorithm of a newly generated vault key (first start, rotation). */
  HUITONG_VAULT_ALG: z.enum(VAULT_ALGORITHMS).default('sm4-gcm'),
  /** The front-end processor's (`huitong agent`) API client secret, kept out of its configuration file. */
  HUITONG_AGENT_SECRET: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.output<typeof ZConfig> & { dataDir: string };

/** Names of settings that hold secrets; they are never logged. */
export const SECRET_SETTINGS = ['DATABASE_URL', 'HUITONG_DEMO_PASSWORD', 'HUITONG_VAULT_KEYS', 'HUITONG_AGENT_SECRET'] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses an environment once; throws ConfigError listing every bad setting. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ZConfig.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return { ...result.data, dataDir: path.resolve(result.data.HUITONG_DATA_DIR) };
}

/** The process environment, read in this one place. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
