import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase())));

const intFrom = (def: number) => z.coerce.number().int().positive().default(def);

/** Every setting, validated once at start-up. README lists each with its meaning. */
const schema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address the HTTP server listens on (e.g. 127.0.0.1 behind a reverse proxy); unset: every interface. */
  HOST: z.string().trim().min(1, '不能为空').optional(),
  DATABASE_URL: z.string().default('sqlite:data/xinfang.sqlite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONFIG_DIR: z.string().default('config'),
  /** How links in cards and calendars start; defaults to http://localhost:<PORT>. */
  PUBLIC_BASE_URL: z.string().optional(),

  LARK_APP_ID: z.string().optional(),
  LARK_APP_SECRET: z.string().optional(),
  LARK_MODE: z.enum(['ws', 'webhook']).default('ws'),
  LARK_ENCRYPT_KEY: z.string().optional(),
  LARK_VERIFICATION_TOKEN: z.string().optional(),
  LARK_DOMAIN: z.string().default('feishu'),

  CONSOLE_ENABLED: bool.optional(),
  CONSOLE_TOKEN: z.string().optional(),
  /**
   * GET /metrics: when set, only with this token (`Authorization: Bearer <token>` or `?token=`);
   * `off`: not served at all; unset: open to anyone who reaches the port.
   */
  METRICS_TOKEN: z.string().trim().min(1, '不能为空').optional(),

  /** Whether a period whose last day is an ordinary weekend rolls to Monday (DESIGN.md). */
  DEADLINE_ROLL_OVER_WEEKENDS: bool.default(true),
  /** How often a running server checks whether holidays were imported (by the CLI or another replica) and reloads them. */
  CALENDAR_REFRESH_SECONDS: z.coerce.number().int().min(1, '至少 1 秒').default(30),
  /** Headcount from which a visit is a 集体访 (local practice). */
  GROUP_VISIT_THRESHOLD: intFrom(5),
  /** Wall-clock working hours for reminders, Asia/Shanghai. */
  WORK_HOURS_START: z.string().regex(/^\d{2}:\d{2}$/).default('09:00'),
  WORK_HOURS_END: z.string().regex(/^\d{2}:\d{2}$/).default('17:30'),
  BRIEFING_TIME: z.string().regex(/^\d{2}:\d{2}$/).default('16:00'),
  JOBS_ENABLED: bool.default(true),
  /**
   * What this process does (README, 部署角色): `all` everything (one server); `web` serves HTTP and
   * records Lark events only; `worker` processes the recorded events, sends the outbox, runs the
   * jobs and the calendar sync. Any number of each, against one database.
   */
  XINFANG_ROLE: z.enum(['all', 'web', 'worker'], { message: '应为 all、web 或 worker' }).default('all'),
  /** How often recorded events nobody is working on are looked for (unset: 5 s; 50 ms in the worker role, which takes every event so). */
  INBOUND_POLL_MS: z.coerce.number().int().min(10, '至少 10 毫秒').optional(),
  /**
   * One process sends at a time (Lark's budgets are the app's, and a chat reads its messages in
   * order): it holds the sender's lease, renewed every quarter of this; when it dies another
   * replica's sender takes over after this many seconds (unset: 10, or OUTBOX_LEASE_SECONDS when
   * shorter: a dead sender's rows wait that long anyway).
   */
  OUTBOX_SENDER_LEASE_SECONDS: z.coerce.number().int().min(1, '至少 1 秒').max(300, '最多 300 秒').optional(),

  // --- lark channel settings (issue 3) ---
  /** The bot's own open_id, to tell whether a group message @mentions it; looked up at start when unset. */
  LARK_BOT_OPEN_ID: z.string().optional(),
  /** Largest POST /lark/events body accepted (express/bytes syntax). */
  LARK_BODY_LIMIT: z.string().default('256kb'),
  /** Seconds the long connection waits for a pong before it reconnects. */
  LARK_WS_PING_TIMEOUT: intFrom(15),
  /** Write the reception days into a shared Lark calendar (src/lark-calendar); needs the Lark app. */
  LARK_CALENDAR_SYNC: bool.default(false),
  /** Outbox budgets: messages per second to one chat, and for the whole app. */
  OUTBOX_CHAT_RATE: intFrom(5),
  OUTBOX_APP_RATE: intFrom(50),
  /** The app's budget over a minute (Lark: "1000 次/分钟、50 次/秒"; either limit refuses with 99991400). */
  OUTBOX_APP_RATE_PER_MINUTE: intFrom(1000),
  /**
   * Hours a message Lark refuses for a passing reason (5xx, network error, rate limit) is tried
   * again, from its first failed send, before it is marked failed (README: Lark's own re-delivery
   * horizon). An answer that says the message itself is wrong fails it at once.
   */
  OUTBOX_RETRY_HOURS: z.coerce.number().positive('应大于 0').max(168, '最多 168 小时（7 天）').default(6),
  /** The longest wait between two tries of one message (the back-off doubles from 1 s up to this). */
  OUTBOX_RETRY_MAX_SECONDS: z.coerce.number().int().min(1, '至少 1 秒').max(3600, '最多 3600 秒：飞书的 uuid 去重只保留 1 小时').default(300),
  /** /healthz says degraded, and doctor reports it, when the oldest waiting message has waited longer than this. */
  OUTBOX_BACKLOG_ALERT_SECONDS: intFrom(300),
  /** How long a claimed row (outbox or inbound event) belongs to one process before another may take it. */
  OUTBOX_LEASE_SECONDS: intFrom(60),
  /** How often the sender looks for due rows when idle. */
  OUTBOX_POLL_MS: intFrom(500),
  /** Lark refuses cards over 30 KB; refused here before sending. */
  LARK_CARD_MAX_BYTES: intFrom(30 * 1024),
  /** Processed event ids are kept at least this long (Lark re-delivers for up to 6 h); longer than LARK_REQUEST_MAX_AGE_SECONDS. */
  LARK_EVENT_RETENTION_HOURS: z.coerce.number().int().min(8).default(24),
  /**
   * How old a signed webhook request (X-Lark-Request-Timestamp) may be: Lark re-delivers an
   * unacknowledged event after 15 s, 5 min, 1 h and 6 h, and does not say that a re-delivery is
   * signed afresh, so the default (8 h) takes the last one; a replay within it is stopped by the
   * event id, kept longer than this (README: 飞书事件的签名时效).
   */
  LARK_REQUEST_MAX_AGE_SECONDS: z.coerce.number().int().min(60, '至少 60 秒').max(86_400, '最多 86400 秒（24 小时）').default(8 * 3600),
  /** Failed tries of one inbound event before it is marked failed (a crash or an outage does not count). */
  INBOUND_MAX_ATTEMPTS: intFrom(5),
  /** Days a failed inbound event (and its payload) is kept for `xinfang inbound list --failed` / `inbound retry`. */
  INBOUND_FAILED_RETENTION_DAYS: intFrom(7),

  // --- intake settings (issue 4) ---
  /** Hours an untouched form draft (信访登记) lives; after that it is dropped, unsaved, with a notice. */
  DRAFT_TTL_HOURS: intFrom(24),
  /** Most characters of 事项内容; a longer text is refused with this limit (never cut silently). */
  TEXT_MAX_LENGTH: z.coerce.number().int().min(100).max(16000).default(5000), // cases.content is a MySQL TEXT: 65,535 bytes, 16,383 four-byte characters

  // --- case life settings (issue 4) ---

  // --- roster settings (issue 5) ---
  /** The plan rules (接访下访 rules), relative to CONFIG_DIR. */
  ROSTER_RULES_FILE: z.string().default('roster-rules.json'),
  /** How many days ahead the public schedule page (/schedule) lists. */
  SCHEDULE_DAYS: intFrom(30),
  /** Whether /schedule shows leaders' names beside their titles (off: titles only). */
  SCHEDULE_SHOW_NAMES: bool.default(false),
  /** Whether /schedule names the lawyers, counsellors… at a session (off: “律师参与接访” only). */
  THIRD_PARTY_NAMES_PUBLIC: bool.default(false),

  // --- reminders and jobs settings (issue 6) ---
  /** Working days before a deadline on which its reminders go out, e.g. "3,1" (plus the day itself and each working day after). */
  REMINDER_STEPS: z.string().regex(/^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$/, '应为逗号分隔的工作日数，如 3,1').default('3,1'),
  /** The tighter reminder steps of 挂牌督办 cases. */
  SUPERVISED_REMINDER_STEPS: z.string().regex(/^\s*\d{1,2}(\s*,\s*\d{1,2})*\s*$/, '应为逗号分隔的工作日数，如 5,3,1').default('5,3,1'),
  /** Overdue reminders go out every this many working days. */
  REMINDER_OVERDUE_EVERY: intFrom(1),
  /** Working days overdue from which the supervision group is told too. */
  ESCALATE_SUPERVISION_AFTER: intFrom(1),
  /** Working days overdue from which the 包案 leader (or the director) is told, and the case flagged for a 督办函. */
  ESCALATE_LEADER_AFTER: intFrom(3),
  /** Time of a working day at which that day's reminders fall due (Asia/Shanghai). */
  REMINDERS_TIME: z.string().regex(/^\d{2}:\d{2}$/).default('09:00'),
  /** When the reminder scan runs (node-cron, Asia/Shanghai); later runs of the day catch up on new deadlines. */
  REMINDERS_CRON: z.string().default('0 9-17 * * *'),
  /** When the daily digest goes to the bureau group, on working days (Asia/Shanghai). */
  DIGEST_TIME: z.string().regex(/^\d{2}:\d{2}$/).default('09:00'),
  /** The bureau's director (users.id), told of cases 3 working days overdue that no leader owns; else an admin titled 局长. */
  DIRECTOR_USER_ID: z.string().optional(),
  /** How long a replica holds a job's lease before another may take over a run it abandoned. */
  JOB_LEASE_SECONDS: intFrom(300),
  /** At start-up, a scheduled run missed within this many hours (all replicas down, or one crashed) is run late. */
  JOBS_CATCH_UP_HOURS: z.coerce.number().int().min(0).default(12),
  /** Issuer of 督办函/提醒函, and the prefix of their numbers (信访督〔2026〕1号). */
  LETTER_ORG_NAME: z.string().default('县信访局'),
  LETTER_NUMBER_PREFIX: z.string().default('信访'),

  // --- feeds settings (issue 7) ---
  /** Calendar feed requests per minute, on average, from one client address (counted in the database, so shared by every replica). */
  FEED_RATE_LIMIT_PER_MIN: intFrom(60),
  /** Requests one client may make at once before the per-minute rate applies. */
  FEED_RATE_LIMIT_BURST: intFrom(20),
  /** Days a cancelled session stays in the feeds (STATUS:CANCELLED) after its date or its cancellation. */
  FEED_CANCELLED_DAYS: intFrom(30),
  /** Days of past sessions the feeds keep; older ones drop out. */
  FEED_PAST_DAYS: intFrom(90),
  /** Name of the public calendar. */
  FEED_PUBLIC_TITLE: z.string().default('领导干部接访下访安排'),
  /**
   * Link to a session's briefing in the leader's feed ({base}: PUBLIC_BASE_URL, {uid}: the session's
   * UID, {appId}: LARK_APP_ID). Unset: the Lark bot's chat (where 接访简报 answers) when a Lark app is
   * configured, else no link. The briefing itself holds petitioners' data, so no public page serves it.
   */
  FEED_BRIEFING_URL: z.string().optional(),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config extends Omit<RawConfig, 'PUBLIC_BASE_URL' | 'OUTBOX_SENDER_LEASE_SECONDS'> {
  PUBLIC_BASE_URL: string;
  OUTBOX_SENDER_LEASE_SECONDS: number;
  isProduction: boolean;
  larkEnabled: boolean;
  consoleEnabled: boolean;
}

export class ConfigError extends Error {}

/** Reads .env (when present) into process.env without overriding what is already set. */
export function loadDotEnv(file = '.env'): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2].replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[m[1]] === undefined) process.env[m[1]] = value;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置有误：\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  const larkEnabled = Boolean(c.LARK_APP_ID && c.LARK_APP_SECRET);
  if (Boolean(c.LARK_APP_ID) !== Boolean(c.LARK_APP_SECRET)) {
    throw new ConfigError('配置有误：LARK_APP_ID 与 LARK_APP_SECRET 必须同时设置');
  }
  // The console needs no login, so production keeps it off unless asked, and then behind a token.
  const consoleEnabled = c.CONSOLE_ENABLED ?? (!larkEnabled && !isProduction);
  if (consoleEnabled && isProduction && !c.CONSOLE_TOKEN) {
    throw new ConfigError('配置有误：生产环境开启控制台（CONSOLE_ENABLED）时必须设置 CONSOLE_TOKEN');
  }
  if (larkEnabled && c.LARK_MODE === 'webhook' && isProduction && !c.LARK_ENCRYPT_KEY) {
    throw new ConfigError('配置有误：生产环境的 webhook 模式必须设置 LARK_ENCRYPT_KEY');
  }
  if (c.LARK_REQUEST_MAX_AGE_SECONDS >= c.LARK_EVENT_RETENTION_HOURS * 3600) {
    throw new ConfigError(
      `配置有误：LARK_REQUEST_MAX_AGE_SECONDS（${c.LARK_REQUEST_MAX_AGE_SECONDS} 秒）必须短于 LARK_EVENT_RETENTION_HOURS（${c.LARK_EVENT_RETENTION_HOURS} 小时）：` +
        '时效内重放的请求靠记下的事件编号拦下，编号须保留得比时效更久',
    );
  }
  const PUBLIC_BASE_URL = (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, '');
  const OUTBOX_SENDER_LEASE_SECONDS = c.OUTBOX_SENDER_LEASE_SECONDS ?? Math.min(10, c.OUTBOX_LEASE_SECONDS);
  return { ...c, PUBLIC_BASE_URL, OUTBOX_SENDER_LEASE_SECONDS, isProduction, larkEnabled, consoleEnabled };
}

export function configPath(config: Pick<Config, 'CONFIG_DIR'>, file: string): string {
  return path.resolve(config.CONFIG_DIR, file);
}

/** Whether this process serves HTTP and records Lark events (roles `all` and `web`). */
export function servesWeb(c: Pick<Config, 'XINFANG_ROLE'>): boolean {
  return c.XINFANG_ROLE !== 'worker';
}

/** Whether this process processes events, sends the outbox, runs jobs and the calendar sync (roles `all` and `worker`). */
export function doesWork(c: Pick<Config, 'XINFANG_ROLE'>): boolean {
  return c.XINFANG_ROLE !== 'web';
}
