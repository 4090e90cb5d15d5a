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
  /** The address the public reaches the platform at; stable IRIs in exports and the links in emails are built from it. */
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
  /** `on`: serve HTTPS on PORT with a certificate from the platform CA and accept API client certificates (mTLS). */
  HUITONG_TLS: z.enum(['on', 'off']).default('off').transform((v) => v === 'on'),
  /** Host names or addresses the HTTPS certificate covers besides localhost, 127.0.0.1 and ::1 (comma-separated). */
  HUITONG_TLS_HOSTS: z
    .string()
    .regex(/^\s*[A-Za-z0-9.:-]+(\s*,\s*[A-Za-z0-9.:-]+)*\s*$/, 'must be host names or IP addresses separated by commas')
    .default('')
    .transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h !== '')),
  /** The SMTP server emails go out through (`smtp://user:pass@host:25`, `smtps://…:465`); unset: emails stay queued, unsent. */
  HUITONG_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender of every email: `Name <address>` or a bare address. */
  HUITONG_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, 'must be an address or Name <address>')
    .default('汇通 Huitong <noreply@huitong.local>'),
  /** How often this process delivers queued emails; 0: never (another process delivers them). */
  HUITONG_MAIL_POLL_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .refine((v) => v === 0 || v >= 0.1, 'must be 0 (off) or at least 0.1')
    .default(10),
  /** How often this process pushes grant changes to subscribers' webhooks; 0: never (another process does). */
  HUITONG_WEBHOOK_POLL_SECONDS: z.coerce
    .number()
    .min(0)
    .max(3600)
    .refine((v) => v === 0 || v >= 0.1, 'must be 0 (off) or at least 0.1')
    .default(5),
  /** A CJK font for PDF reports (.ttf, .otf, or .ttc as `path#PostScriptName`); default: the first of Debian's fonts-noto-cjk / fonts-wqy found. */
  HUITONG_CJK_FONT: z.string().min(1).optional(),
  /** Calls per minute one API client may make to the sharing query API (per process). */
  HUITONG_QUERY_RATE_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Distinct subjects one API client may query in a day before an alert, at least (the bar is max(this, 5 × its average of the previous 7 days)). */
  HUITONG_QUERY_ALERT_MIN: z.coerce.number().int().min(1).max(100_000_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.output<typeof ZConfig> & { dataDir: string };

/** Names of settings that hold secrets; they are never logged. */
export const SECRET_SETTINGS = ['DATABASE_URL', 'HUITONG_DEMO_PASSWORD', 'HUITONG_VAULT_KEYS', 'HUITONG_AGENT_SECRET', 'HUITONG_SMTP_URL'] as const;

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
