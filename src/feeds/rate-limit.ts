import type { Knex } from 'knex';
import { RateLimiterMemory, RateLimiterMySQL, RateLimiterRes, RateLimiterSQLite } from 'rate-limiter-flexible';
import { dialectOf } from '../platform/database/connection';
import type { Logger } from '../platform/logging/logger';

/** The limiter's table (migration 009_feed_rate_limits): the library's own three columns. */
export const FEED_RATE_LIMIT_TABLE = 'feed_rate_limits';

/** How often expired rows are deleted, at most. */
const SWEEP_EVERY_MS = 5 * 60_000;

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The part of rate-limiter-flexible's SQL stores used here (clearExpired is untyped but public on both). */
interface SqlStore {
  consume(key: string): Promise<RateLimiterRes>;
  clearExpired(beforeMs: number): Promise<unknown>;
}

/**
 * The feeds' budget per client key (the client's IP address): `burst` requests at once, and
 * `perMinute` a minute on average. rate-limiter-flexible counts in fixed windows, so the budget
 * is `burst` requests per window of burst / perMinute minutes (the defaults, burst 20 at 60 a
 * minute: 20 requests per 20 seconds). The counts live in the database (rate-limiter-flexible's
 * RateLimiterSQLite or RateLimiterMySQL over the app's knex), so every replica draws on the one
 * budget. When the database cannot answer, each process counts in memory instead of refusing
 * feeds. Calendar apps poll once an hour: this only stops scripts, such as someone guessing tokens.
 */
export class FeedRateLimiter {
  private readonly store: SqlStore;
  private lastSweep = Date.now();

  constructor(
    db: Knex,
    perMinute: number,
    burst: number,
    private readonly logger?: Logger,
  ) {
    const window = { points: burst, duration: Math.round((burst * 60_000) / perMinute) / 1000, keyPrefix: 'feeds' };
    const options = {
      ...window,
      storeClient: db,
      storeType: 'knex',
      tableName: FEED_RATE_LIMIT_TABLE,
      // The migration made the table; the library's own CREATE TABLE would use another charset on MySQL.
      tableCreated: true,
      // Expired rows are swept from take(): the library's timer would outlive a closed database.
      clearExpiredByTimeout: false,
      insuranceLimiter: new RateLimiterMemory(window),
    };
    const store =
      dialectOf(db) === 'mysql'
        ? new RateLimiterMySQL({ ...options, dbName: mysqlDatabaseOf(db) })
        : new RateLimiterSQLite(options);
    this.store = store as unknown as SqlStore;
  }

  /** Takes one request from the key's budget; when none is left, says how many seconds until the next. */
  async take(key: string): Promise<RateDecision> {
    this.sweep();
    try {
      await this.store.consume(key);
      return { ok: true };
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
    }
  }

  /** Deletes the rows of windows that have ended, now and then (they carry no budget). */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.store.clearExpired(now).catch((err: unknown) => this.logger?.warn({ err }, 'feed rate limit: sweeping expired rows failed'));
  }
}

function mysqlDatabaseOf(db: Knex): string {
  const connection = (db.client as { config: { connection?: { database?: string } } }).config.connection;
  return String(connection?.database ?? '');
}
