/**
 * Statistics and calendar feeds at province scale (issue 18), on MariaDB/MySQL, each against a
 * baseline of the same run:
 *  - StatsService.report for a month (2026-09) and a year (2026) on the province's 10,000,000 cases
 *    (bench/province-data.ts, 2017 to 2026-10-11) and 100 counties' plans (bench/province-plans.ts,
 *    2025 and 2026) vs the same reports on a database holding only what those reports read: the
 *    cases received since 2025-01-01 (copied from the province's) and the 2026 plans. The time must
 *    follow the period's rows, not the table: ratio near 1.
 *  - a leader's feed, a venue's feed and the public feed (what GET /ical/… does: version, then
 *    body, by a service with nothing cached) with 100 counties' plans vs with one county's.
 *  - EXPLAIN of every query those reads sent (captured from knex), one line per table.
 *
 *   npx tsx bench/province-stats-feeds.ts [--stats] [--feeds]   (both when neither is given)
 *     BENCH_PROVINCE_URL  default mysql://root@127.0.0.1:3306/xinfang_bench_province
 *     BENCH_PLANS_URL     default <province>_plans: 100 counties' plans alone (the feeds read it)
 *     BENCH_CASES         default 10000000
 *     BENCH_REBUILD=1     makes the province data, the baseline copy and the plans anew
 *
 * Databases: the province's (kept between runs), <province>_base (the stats baseline, kept),
 * <plans> (the plans, kept; copied into the other two) and <plans>_county (one county's plans, made each run).
 */
import os from 'node:os';
import type { Knex } from 'knex';
import { createConnection, type Connection } from 'mysql2/promise';
import { shanghaiInstant } from '../src/platform/calendar/domain';
import type { Core } from '../src/platform/core/feature';
import { openCore } from '../src/platform/core/open-core';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { createLogger } from '../src/platform/logging/logger';
import { loadConfig } from '../src/platform/settings/config';
import { createFeedService, type FeedSpec } from '../src/feeds/feed-service';
import { monthPeriod, yearPeriod } from '../src/stats/domain/periods';
import { StatsService } from '../src/stats/stats-service';
import { ensureProvinceData } from './province-data';
import { countyPrefix, ensureProvincePlans } from './province-plans';

const withDb = (url: string, suffix: string) => url.replace(/\/([^/?]+)(\?|$)/, `/$1${suffix}$2`);
const PROVINCE_URL = process.env.BENCH_PROVINCE_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_province';
const PLANS_URL = process.env.BENCH_PLANS_URL ?? withDb(PROVINCE_URL, '_plans');
const CASES = Number(process.env.BENCH_CASES ?? 10_000_000);
const REBUILD = process.env.BENCH_REBUILD === '1';
const BASE_FROM = '2025-01-01';
const TODAY = '2026-10-12';
const NOW = shanghaiInstant(TODAY, '09:00');
const RUNS = 3;
const COUNTIES = 100;

const dbName = (url: string) => new URL(url).pathname.slice(1);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

async function server(url: string): Promise<Connection> {
  const u = new URL(url);
  return createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
}

async function core(url: string): Promise<Core> {
  const config = loadConfig({
    DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'false', PUBLIC_BASE_URL: 'https://xf.example.gov.cn', CONFIG_DIR: 'config',
  });
  return openCore(config, { logger: createLogger('silent'), now: () => NOW });
}

/**
 * The stats baseline: the province's cases received since BASE_FROM (and their deadlines and
 * links), copied with the secondary indexes dropped and built after; kept while the source is unchanged.
 */
async function ensureBase(baseUrl: string): Promise<void> {
  const conn = await server(baseUrl);
  const base = dbName(baseUrl);
  const src = dbName(PROVINCE_URL);
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${base}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const [marks] = await conn.query(`SELECT v FROM \`${base}\`.bench_base WHERE k = 'source'`).catch(() => [[]]);
    const want = `${CASES}:${BASE_FROM}`;
    if (!REBUILD && (marks as any[])[0]?.v === want) return;
    console.log(`copying the cases received since ${BASE_FROM} into ${base} …`);
    await conn.query(`DROP DATABASE \`${base}\``);
    await conn.query(`CREATE DATABASE \`${base}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const db = await openDatabase(baseUrl);
    await migrateLatest(db);
    await db.destroy();
    await conn.query(`USE \`${base}\``);
    await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    const t0 = Date.now();
    const cases = await dropIndexes(conn, 'cases');
    const deadlines = await dropIndexes(conn, 'case_deadlines');
    const [[lo]] = (await conn.query(`SELECT MIN(id) AS id FROM \`${src}\`.cases WHERE received_date >= ?`, [BASE_FROM])) as any;
    await conn.query(`INSERT INTO cases SELECT * FROM \`${src}\`.cases WHERE id >= ?`, [lo.id]);
    await conn.query(`INSERT INTO case_deadlines SELECT * FROM \`${src}\`.case_deadlines WHERE case_id >= ?`, [lo.id]);
    await conn.query(`INSERT INTO case_links SELECT * FROM \`${src}\`.case_links WHERE case_id >= ?`, [lo.id]);
    if (cases.length) await conn.query(`ALTER TABLE cases ${cases.join(', ')}`);
    if (deadlines.length) await conn.query(`ALTER TABLE case_deadlines ${deadlines.join(', ')}`);
    await conn.query('ANALYZE TABLE cases, case_deadlines, case_links');
    await conn.query('CREATE TABLE bench_base (k VARCHAR(32) PRIMARY KEY, v VARCHAR(200) NOT NULL)');
    await conn.query("INSERT INTO bench_base VALUES ('source', ?)", [want]);
    console.log(`  copied in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    await conn.end();
  }
}

async function dropIndexes(conn: Connection, table: string): Promise<string[]> {
  const [rows] = await conn.query(
    `SELECT INDEX_NAME AS name, GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`') ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 1 GROUP BY INDEX_NAME`,
    [table],
  );
  const defs = rows as Array<{ name: string; cols: string }>;
  if (defs.length) await conn.query(`ALTER TABLE \`${table}\` ${defs.map((d) => `DROP INDEX \`${d.name}\``).join(', ')}`);
  return defs.map((d) => `ADD INDEX \`${d.name}\` (${d.cols})`);
}

/** The plans database's leaders, venues and sessions of `years` into `db`, once (server-side copies). */
async function copyPlans(db: Knex, years: number[]): Promise<void> {
  if (await db('sessions').first('id')) return;
  const src = dbName(PLANS_URL);
  const inYears = `plan_year IN (${years.map(Number).join(',')})`;
  await db.raw(`INSERT INTO leaders SELECT * FROM \`${src}\`.leaders`);
  await db.raw(`INSERT INTO venues SELECT * FROM \`${src}\`.venues`);
  await db.raw(`INSERT INTO sessions SELECT * FROM \`${src}\`.sessions WHERE ${inYears}`);
  await db.raw(`INSERT INTO session_leaders SELECT l.* FROM \`${src}\`.session_leaders l JOIN \`${src}\`.sessions s ON s.id = l.session_id WHERE s.${inYears}`);
  // Without statistics of the copied rows MariaDB reads a period's sessions by a full scan.
  await db.raw('ANALYZE TABLE leaders, venues, sessions, session_leaders');
}

/** 5 % of the cases linked to an earlier one (repeat petitions), once per database. */
async function ensureLinks(db: Knex): Promise<void> {
  if (await db('case_links').first('case_id')) return;
  await db.raw("INSERT INTO case_links (case_id, linked_case_id, reason) SELECT id, id - 100, 'id_number' FROM cases WHERE id % 20 = 0 AND id > 100");
}

/** Every SQL statement `fn` sends, with its bindings. */
async function captured<T>(db: Knex, fn: () => Promise<T>): Promise<{ value: T; queries: Array<{ sql: string; bindings: unknown[] }> }> {
  const queries: Array<{ sql: string; bindings: unknown[] }> = [];
  const on = (q: { sql: string; bindings?: unknown[] }) => queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  db.on('query', on);
  try {
    return { value: await fn(), queries };
  } finally {
    db.removeListener('query', on);
  }
}

/** EXPLAIN of each distinct SELECT, one line per table: type, key, rows. */
async function explain(db: Knex, title: string, queries: Array<{ sql: string; bindings: unknown[] }>): Promise<void> {
  console.log(`  EXPLAIN (${title}):`);
  const seen = new Set<string>();
  for (const q of queries) {
    if (!/^\s*select/i.test(q.sql) || seen.has(q.sql)) continue;
    seen.add(q.sql);
    const [rows] = await db.raw(`EXPLAIN ${q.sql}`, q.bindings as any[]);
    const plan = (rows as any[]).map((r) => `${r.table}:${r.type}${r.key ? `(${r.key})` : ''}~${r.rows}`).join('  ');
    console.log(`    ${plan}   ← ${q.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
}

async function timeReport(c: Core, period: ReturnType<typeof yearPeriod>): Promise<number> {
  const service = new StatsService(c);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await service.report(period);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function benchStats(): Promise<void> {
  const baseUrl = withDb(PROVINCE_URL, '_base');
  const info = await ensureProvinceData(PROVINCE_URL, { cases: CASES, rebuild: REBUILD });
  const province = await core(PROVINCE_URL);
  await ensureLinks(province.db);
  await ensureBase(baseUrl);
  const base = await core(baseUrl);
  const plans = await core(PLANS_URL);
  await ensureProvincePlans(plans.db, { counties: COUNTIES, years: [2025, 2026], heldBefore: TODAY });
  await plans.db.destroy();
  await copyPlans(province.db, [2025, 2026]);
  await copyPlans(base.db, [2026]);
  const [[{ n: baseCases }]] = (await base.db.raw('SELECT COUNT(*) AS n FROM cases')) as any;
  console.log(`\nstatistics: province ${info.cases.toLocaleString('en')} cases (${(info.bytes / 1e9).toFixed(1)} GB); baseline ${Number(baseCases).toLocaleString('en')} cases (received since ${BASE_FROM}); load ${load()}`);
  for (const [label, period] of [['month 2026-09', monthPeriod(2026, 9)], ['year 2026', yearPeriod(2026)]] as const) {
    await timeReport(base, period); // warm both caches the same way
    await timeReport(province, period);
    const b = await timeReport(base, period);
    const v = await timeReport(province, period);
    console.log(`  StatsService.report(${label}): baseline ${ms(b)}, province ${ms(v)}, ratio ${(v / b).toFixed(2)}   (median of ${RUNS}; load ${load()})`);
    const { queries } = await captured(province.db, () => new StatsService(province).report(period));
    await explain(province.db, `${label}, province`, queries);
  }
  await province.db.destroy();
  await base.db.destroy();
}

/** What a GET does for a feed with no cache: the version (ETag), then the body. */
async function timeFeed(c: Core, spec: (s: ReturnType<typeof createFeedService>) => Promise<FeedSpec>, runs = RUNS): Promise<{ ms: number; bytes: number; events: number }> {
  const times: number[] = [];
  let body: Buffer = Buffer.alloc(0);
  for (let i = 0; i < runs; i++) {
    const service = createFeedService(c);
    const t = performance.now();
    const s = await spec(service);
    body = await service.body(s, NOW, await service.version(s, NOW));
    times.push(performance.now() - t);
  }
  return { ms: median(times), bytes: body.length, events: body.toString('utf8').split('BEGIN:VEVENT').length - 1 };
}

async function benchFeeds(): Promise<void> {
  const countyUrl = withDb(PLANS_URL, '_county');
  const conn = await server(countyUrl);
  await conn.query(`DROP DATABASE IF EXISTS \`${dbName(countyUrl)}\``);
  await conn.query(`CREATE DATABASE \`${dbName(countyUrl)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const county = await core(countyUrl);
  await ensureProvincePlans(county.db, { counties: 1, years: [2025, 2026], heldBefore: TODAY });
  const province = await core(PLANS_URL);
  await ensureProvincePlans(province.db, { counties: COUNTIES, years: [2025, 2026], heldBefore: TODAY });
  const [[{ n }]] = (await province.db.raw('SELECT COUNT(*) AS n FROM sessions')) as any;
  const [[{ l }]] = (await province.db.raw('SELECT COUNT(*) AS l FROM leaders')) as any;
  console.log(`\nfeeds (as of ${TODAY}): province ${Number(n).toLocaleString('en')} sessions, ${l} leaders; baseline: county 1's plans alone; load ${load()}`);
  const leaderId = `${countyPrefix(1)}-L0030`;
  const venueId = `${countyPrefix(1)}-zz-3`;
  const feeds: Array<[string, (s: ReturnType<typeof createFeedService>) => Promise<FeedSpec>, number]> = [
    ['leader', async (s) => (await s.specFor({ kind: 'leader', subject: leaderId }))!, RUNS],
    ['venue', async (s) => (await s.specFor({ kind: 'venue', subject: venueId }))!, RUNS],
    ['public', async () => ({ kind: 'public' }), 1],
  ];
  for (const [label, spec, runs] of feeds) {
    const b = await timeFeed(county, spec, runs);
    const v = await timeFeed(province, spec, runs);
    console.log(`  ${label} feed: one county ${ms(b.ms)} (${b.events} events, ${(b.bytes / 1e3).toFixed(0)} kB), 100 counties ${ms(v.ms)} (${v.events} events, ${(v.bytes / 1e6).toFixed(1)} MB), ratio ${(v.ms / b.ms).toFixed(2)}   (load ${load()})`);
    if (label === 'public') continue;
    const { queries } = await captured(province.db, () => timeFeed(province, spec, 1));
    await explain(province.db, `${label} feed, province`, queries);
  }
  await province.db.destroy();
  await county.db.destroy();
}

async function main(): Promise<void> {
  const only = ['--stats', '--feeds'].filter((f) => process.argv.includes(f));
  if (!only.length || only.includes('--stats')) await benchStats();
  if (!only.length || only.includes('--feeds')) await benchFeeds();
  console.log(`\nmachine: ${os.cpus().length} cores, load average ${load()}`);
}

main().catch((err) => {
  console.error(String(err?.stack ?? err).slice(0, 2000));
  process.exit(1);
});
