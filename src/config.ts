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
  DATABASE_URL: z.string().default('sqlite:data/xinfang.sqlite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONFIG_DIR: z.string().default('config'),
  PUBLIC_BASE_URL: z.string().default('http://localhost:3000'),

  LARK_APP_ID: z.string().optional(),
  LARK_APP_SECRET: z.string().optional(),
  LARK_MODE: z.enum(['ws', 'webhook']).default('ws'),
  LARK_ENCRYPT_KEY: z.string().optional(),
  LARK_VERIFICATION_TOKEN: z.string().optional(),
  LARK_DOMAIN: z.string().default('feishu'),

  CONSOLE_ENABLED: bool.optional(),
  CONSOLE_TOKEN: z.string().optional(),

  /** Whether a period whose last day is an ordinary weekend rolls to Monday (DESIGN.md). */
  DEADLINE_ROLL_OVER_WEEKENDS: bool.default(true),
  /** Headcount from which a visit is a 集体访 (local practice). */
  GROUP_VISIT_THRESHOLD: intFrom(5),
  /** Wall-clock working hours for reminders, Asia/Shanghai. */
  WORK_HOURS_START: z.string().regex(/^\d{2}:\d{2}$/).default('09:00'),
  WORK_HOURS_END: z.string().regex(/^\d{2}:\d{2}$/).default('17:30'),
  BRIEFING_TIME: z.string().regex(/^\d{2}:\d{2}$/).default('16:00'),
  JOBS_ENABLED: bool.default(true),

  // --- lark channel settings (issue 3) ---

  // --- intake settings (issue 4) ---

  // --- case life settings (issue 4) ---

  // --- roster settings (issue 5) ---

  // --- reminders and jobs settings (issue 6) ---

  // --- feeds settings (issue 7) ---
});

export type RawConfig = z.infer<typeof schema>;

export interface Config extends RawConfig {
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
  return { ...c, isProduction, larkEnabled, consoleEnabled };
}

export function configPath(config: Pick<Config, 'CONFIG_DIR'>, file: string): string {
  return path.resolve(config.CONFIG_DIR, file);
}
