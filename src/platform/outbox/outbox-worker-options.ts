import type { Knex } from 'knex';
import type { Logger } from '../logging/logger';
import type { Transport } from './transport';

/** What an OutboxWorker is built with: its transport, Lark's budgets, the retry horizon and back-offs, the lease. */
export interface OutboxWorkerOptions {
  db: Knex;
  transport: Transport;
  logger: Logger;
  /** Messages per second to one chat (Lark: 5). */
  chatRate: number;
  /** Messages per second for the app (Lark: 50 for message sends). */
  appRate: number;
  /** Messages per minute for the app (Lark: 1,000, the default); 0: no minute budget. */
  appPerMinute?: number;
  /** Passing failures are retried for this long from a row's first failed send, then it is failed (default 6 h). */
  retryHorizonMs?: number;
  /** The longest back-off between two tries of one row (default 5 min); ignored when backoffMs is given. */
  retryMaxMs?: number;
  /** A bound on the sends of one message besides the horizon (tests); unset: the horizon alone. */
  maxAttempts?: number;
  leaseMs: number;
  pollMs: number;
  /** Cards larger than this are refused before sending (Lark: 30 KB). */
  cardMaxBytes: number;
  /**
   * Added to the one-second window: Lark counts arrivals, we count departures, and jitter between
   * the two must not push one message too many into Lark's second. Widened by each rate-limit
   * answer (up to maxWindowMarginMs), narrowed again after a run of accepted sends.
   */
  windowMarginMs?: number;
  maxWindowMarginMs?: number;
  /** Back-off before the n-th retry (1-based). */
  backoffMs?: (attempt: number) => number;
  /** How long a rate-limit answer without x-ogw-ratelimit-reset pauses the chat or app. */
  rateLimitPauseMs?: number;
  /** While the database is away: the longest wait between tries (the back-off doubles from pollMs up to this). */
  dbRetryMaxMs?: number;
  workerId?: string;
  clock?: () => number;
}
