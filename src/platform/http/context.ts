import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../actor.js';
import type { CalendarStore } from '../calendar/store.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { PolicyPreset } from '../policy.js';
import type { Keyring } from '../vault/keyring.js';

/** What every part of a running platform shares. */
export type AppContext = {
  config: Config;
  database: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  calendar: CalendarStore;
  policy: PolicyPreset;
  /** The identity vault's keys (tokens and subject encryption). */
  vault: Keyring;
};

/** One request as services see it: the platform, who is asking, and the request id for audit. */
export type Ctx = { app: AppContext; actor: Actor; requestId: string | null };
