/**
 * What the reminder benchmarks share (bench/reminder-scan.ts, bench/reminder-run.ts): the province's
 * databases (bench/province-data.ts), its directory, and the due deadlines a run makes itself.
 */
import { loadConfig } from '../src/platform/settings/config';
import { openCore } from '../src/platform/core/open-core';
import { shanghaiInstant } from '../src/platform/calendar/domain';
import type { Core } from '../src/platform/core/feature';
import { createLogger } from '../src/platform/logging/logger';
import { COUNTIES, ensureProvinceData, PROVINCE_UNITS, type ProvinceInfo } from './province-data';

const SERVER = process.env.BENCH_MYSQL_SERVER ?? 'mysql://root@127.0.0.1:3306';
/** The province (10,000,000 cases) and its tenth (1,000,000), kept between runs. */
export const PROVINCE_URL = `${SERVER}/xinfang_bench_province`;
export const PROVINCE_1M_URL = `${SERVER}/xinfang_bench_province_1m`;
export const REBUILD = process.env.BENCH_REBUILD === '1';

/** The scan's moment: a Monday after National Day (2026 has no holiday data here: weekends only, 暂定). */
export const NOW = shanghaiInstant('2026-10-12', '09:00');
/** The due deadlines are spread over these 18 days: about half overdue (up to 6 working days), the rest due today or ahead. */
const DUE_FROM = '2026-10-02';
const DUE_DAYS = 18;

export interface Province {
  core: Core;
  info: ProvinceInfo;
  label: string;
}

export async function openProvince(url: string, cases: number): Promise<Province> {
  const info = await ensureProvinceData(url, { cases, rebuild: REBUILD });
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', CONFIG_DIR: 'config' });
  const core = await openCore(config, { logger: createLogger('silent') });
  await seedDirectory(core);
  return { core, info, label: `${cases.toLocaleString()} cases` };
}

/** A group per unit (2,000), the bureau and supervision groups, a 包案 leader per county, the director (once). */
async function seedDirectory(core: Core): Promise<void> {
  const have = Number((await core.db('chats').count({ n: '*' }).first())?.n ?? 0);
  if (have >= PROVINCE_UNITS.length + 2) return;
  for (const [i, unit] of PROVINCE_UNITS.entries()) await core.chats.upsert({ id: `oc_unit_${i}`, name: `${unit}信访工作群`, unit, role: null, venueId: null });
  await core.chats.upsert({ id: 'oc_bureau', name: '省信访局工作群', unit: null, role: 'bureau', venueId: null });
  await core.chats.upsert({ id: 'oc_supervision', name: '督查组', unit: null, role: 'supervision', venueId: null });
  for (let c = 0; c < COUNTIES; c++) await core.users.upsert({ id: `ld-${c}`, name: `领导${c}`, role: 'leader', unit: null, town: null, title: '副县长' });
  await core.users.upsert({ id: 'dir-1', name: '示例局长', role: 'admin', unit: null, town: null, title: '局长' });
}

/** Puts back the due dates a previous run moved (bench_due remembers them). */
export async function restoreDue(core: Core): Promise<void> {
  if (!(await core.db.schema.hasTable('bench_due'))) return;
  await core.db.raw('UPDATE case_deadlines d JOIN bench_due b ON b.deadline_id = d.id SET d.due_date = b.due_date');
  await core.db.raw('DROP TABLE bench_due');
}

/**
 * Makes `n` open deadlines due in the scan's window: the oldest open conclusion deadlines (the
 * cases received first of the open ones, as the real due ones are), the k-th of them moved to
 * DUE_FROM + (k mod 18) days, so both databases get the same dates.
 */
export async function placeDue(core: Core, n: number): Promise<void> {
  await restoreDue(core);
  await core.db.raw('CREATE TABLE bench_due (deadline_id INT UNSIGNED PRIMARY KEY, due_date VARCHAR(10) NOT NULL, k INT NOT NULL AUTO_INCREMENT UNIQUE)');
  await core.db.raw(
    `INSERT INTO bench_due (deadline_id, due_date)
     SELECT id, due_date FROM case_deadlines WHERE status = 'open' AND kind = 'conclusion' ORDER BY due_date, id LIMIT ${Number(n)}`,
  );
  await core.db.raw(
    `UPDATE case_deadlines d JOIN bench_due b ON b.deadline_id = d.id
     SET d.due_date = DATE_FORMAT(DATE_ADD('${DUE_FROM}', INTERVAL (b.k % ${DUE_DAYS}) DAY), '%Y-%m-%d')`,
  );
}

/** Reminders recorded on earlier days (ids 1..HISTORY), as a year of scans leaves them: 500 to a run token. */
const HISTORY = 200_000;

async function ensureHistory(core: Core): Promise<void> {
  const [[row]] = await core.db.raw('SELECT COUNT(*) AS n FROM reminders WHERE id <= ?', [HISTORY]);
  if (Number(row.n) === HISTORY) return;
  await core.db.raw('TRUNCATE TABLE reminders');
  await core.db.raw(
    `INSERT INTO reminders (id, case_id, deadline_id, kind, due_date, step, step_date, level, due_at, queued_at, recipients, run_token)
     SELECT seq, seq, seq, 'conclusion', DATE_FORMAT(DATE_ADD('2017-03-01', INTERVAL seq DIV 60 DAY), '%Y-%m-%d'), 'due',
       DATE_FORMAT(DATE_ADD('2017-03-01', INTERVAL seq DIV 60 DAY), '%Y-%m-%d'), 0, '2017-03-01 01:00:00.000', '2017-03-01 01:00:00.000',
       '[{"type":"chat","id":"oc_unit_0","role":"unit"}]', CONCAT('history-', seq DIV 500, ':0')
     FROM seq_1_to_${HISTORY}`,
  );
  await core.db.raw('ANALYZE TABLE reminders');
}

/** Forgets what the previous scan recorded, so each measured scan does the whole day's work (the reminders of earlier days stay). */
export async function resetRun(core: Core): Promise<void> {
  await ensureHistory(core);
  await core.db.raw('DELETE FROM reminders WHERE id > ?', [HISTORY]);
  // TRUNCATE does not fire case_events' append-only triggers; this is a benchmark database (its only events are the scans').
  for (const t of ['outbox', 'case_events', 'digests']) await core.db.raw(`TRUNCATE TABLE ${t}`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint();
  const r = await f();
  return [Number(process.hrtime.bigint() - t0) / 1e6, r];
}

export function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
