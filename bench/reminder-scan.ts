/**
 * The daily reminder scan on MySQL: 100,000 cases, then 1,000,000 cases (10% open), with the same
 * 2,000 deadlines due. Prints the scan times, their ratio (it must stay near 1: the scan reads
 * only due rows), the EXPLAIN of the scan's query, and the rows the query actually read.
 *
 *   npx tsx bench/reminder-scan.ts   (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306/xinfang_bench_reminders;
 *                                     BENCH_DUE, default 2000)
 *
 * Target: ≤ 1 s per scan at 1,000,000 cases.
 */
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../src/platform/settings/config';
import { openCore } from '../src/platform/core/open-core';
import { toDbTime } from '../src/platform/database/time';
import { shanghaiDate, shanghaiInstant } from '../src/platform/calendar/domain';
import { DUTY_DEADLINES, OPEN_STATUSES } from '../src/cases/domain/case-status';
import { scanHorizon } from '../src/reminders/domain/reminder-steps';
import { WorkingDays } from '../src/platform/calendar/domain/lenient-working-days';
import type { Core } from '../src/platform/core/feature';
import { createLogger } from '../src/platform/logging/logger';
import { ReminderService, reminderPolicy } from '../src/reminders/reminder-service';

const URL_ = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_reminders';
const SMALL = 100_000;
const LARGE = 1_000_000;
// Open deadlines due on or before the scan's horizon: the first DUE open cases, due 10/3–10/20
// (about half overdue, up to 4 working days, the rest due today or ahead).
const DUE = Number(process.env.BENCH_DUE ?? 2_000);
const RUNS = 5;
const NOW = shanghaiInstant('2025-10-13', '09:00'); // a Monday after National Day

const UNITS = 20;
const TOWNS = ['阳城镇', '七拱镇', '太平镇', '杨梅镇', '大崀镇', '小江镇', '岭背镇', '黄坌镇', '黎埠镇', '江英镇', '青莲镇', '秤架瑶族乡'];
const CATEGORIES = ['农村农业', '市场监督', '自然资源', '城乡建设', '生态环境', '劳动和社会保障', '交通运输', '卫生健康', '房产物业', '其他'];

function sqlList(xs: string[]): string {
  return xs.map((x) => `'${x}'`).join(',');
}

async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${u.pathname.slice(1)}\``);
  await conn.end();
}

/** Cases n in [from, to]: every 10th open; the first DUE open ones due around the scan day, the other open ones due after the horizon. */
async function loadCases(core: Core, from: number, to: number): Promise<void> {
  const db = core.db;
  const t = toDbTime(new Date('2025-06-01T02:00:00Z'));
  for (let a = from; a <= to; a += 100_000) {
    const b = Math.min(to, a + 99_999);
    await db.raw(
      `INSERT INTO cases (case_no, year, status, name, headcount, is_group, channel, town, category, content, received_at, received_date,
         unit, leader_id, supervised, registered_by, created_at, updated_at)
       SELECT CONCAT('B', LPAD(n, 7, '0')), 2025, IF(n % 10 = 0, 'handling', 'concluded'), '测试人', 1, 0, '来访',
         ELT(1 + n % ${TOWNS.length}, ${sqlList(TOWNS)}), ELT(1 + n % ${CATEGORIES.length}, ${sqlList(CATEGORIES)}),
         '基准测试数据', ?, '2025-06-01', CONCAT('承办单位', n % ${UNITS}), IF(n % 50 = 0, 'ld-1', NULL), IF(n % 100 = 0, 1, 0), 'bench', ?, ?
       FROM bench_seq WHERE n BETWEEN ? AND ?`,
      [t, t, t, a, b],
    );
    // Two deadlines per case: the bureau's decision (met) and the conclusion (open for open cases).
    await db.raw(
      `INSERT INTO case_deadlines (case_id, kind, due_date, provisional, status, unit, created_at, updated_at)
       SELECT c.id, 'decision', '2025-06-16', 0, 'met', NULL, ?, ? FROM cases c WHERE c.case_no BETWEEN ? AND ?`,
      [t, t, `B${String(a).padStart(7, '0')}`, `B${String(b).padStart(7, '0')}`],
    );
    await db.raw(
      `INSERT INTO case_deadlines (case_id, kind, due_date, provisional, status, unit, created_at, updated_at)
       SELECT c.id, 'conclusion',
         CASE
           WHEN x.n % 10 <> 0 THEN DATE_FORMAT(DATE_ADD('2025-01-01', INTERVAL (x.n % 240) DAY), '%Y-%m-%d')
           WHEN x.n <= ${DUE * 10} THEN DATE_FORMAT(DATE_ADD('2025-10-03', INTERVAL ((x.n DIV 10) % 18) DAY), '%Y-%m-%d')
           ELSE DATE_FORMAT(DATE_ADD('2025-11-15', INTERVAL (x.n % 45) DAY), '%Y-%m-%d')
         END,
         0, IF(x.n % 10 = 0, 'open', 'met'), c.unit, ?, ?
       FROM (SELECT id, unit, case_no, CAST(SUBSTRING(case_no, 2) AS UNSIGNED) AS n FROM cases WHERE case_no BETWEEN ? AND ?) x
       JOIN cases c ON c.id = x.id`,
      [t, t, `B${String(a).padStart(7, '0')}`, `B${String(b).padStart(7, '0')}`],
    );
  }
}

async function seedNumbers(core: Core): Promise<void> {
  await core.db.raw('CREATE TABLE bench_digits (d INT PRIMARY KEY)');
  await core.db.raw('INSERT INTO bench_digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)');
  await core.db.raw('CREATE TABLE bench_seq (n INT PRIMARY KEY)');
  await core.db.raw(
    `INSERT INTO bench_seq (n) SELECT 1 + a.d + 10*b.d + 100*c.d + 1000*d.d + 10000*e.d + 100000*f.d
     FROM bench_digits a, bench_digits b, bench_digits c, bench_digits d, bench_digits e, bench_digits f`,
  );
}

async function seedDirectory(core: Core): Promise<void> {
  for (let u = 0; u < UNITS; u++) await core.chats.upsert({ id: `oc_unit_${u}`, name: null, unit: `承办单位${u}`, role: null, venueId: null });
  await core.chats.upsert({ id: 'oc_bureau', name: null, unit: null, role: 'bureau', venueId: null });
  await core.chats.upsert({ id: 'oc_supervision', name: null, unit: null, role: 'supervision', venueId: null });
  await core.users.upsert({ id: 'ld-1', name: '示例领导', role: 'leader', unit: null, town: null, title: '副县长' });
  await core.users.upsert({ id: 'dir-1', name: '示例局长', role: 'admin', unit: null, town: null, title: '局长' });
}

/** Forgets what the previous scan recorded, so each measured scan does the whole day's work. */
async function reset(core: Core): Promise<void> {
  // TRUNCATE does not fire case_events' append-only triggers; this is a benchmark database.
  for (const t of ['reminders', 'outbox', 'case_events']) await core.db.raw(`TRUNCATE TABLE ${t}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The read alone: the scan's query for what is due (median of RUNS). */
async function measureQuery(core: Core): Promise<number> {
  const svc = new ReminderService(core);
  const days = new WorkingDays(core.calendar.calendar);
  const horizon = scanHorizon(shanghaiDate(NOW), days, reminderPolicy(core.config));
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await svc.dueDeadlines.list(horizon, DUTY_DEADLINES, OPEN_STATUSES);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

async function measure(core: Core, label: string): Promise<{ median: number; query: number; messages: number; recorded: number }> {
  const svc = new ReminderService(core);
  const times: number[] = [];
  let last = null;
  // One scan first, not counted: the process's JIT and the database's buffer pool warm up.
  await reset(core);
  await svc.scan(NOW);
  for (let i = 0; i < RUNS; i++) {
    await reset(core);
    const t0 = process.hrtime.bigint();
    last = await svc.scan(NOW);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const m = median(times);
  const query = await measureQuery(core);
  console.log(
    `${label}: scan ${m.toFixed(0)} ms (median of ${RUNS}: ${times.map((t) => t.toFixed(0)).join(', ')} ms), of which the read ${query.toFixed(1)} ms; ` +
      `open rows read ${last!.read} (${last!.due} with a step due), reminders recorded ${last!.recorded}, messages queued ${last!.messages}, flagged for 督办函 ${last!.flagged}`,
  );
  return { median: m, query, messages: last!.messages, recorded: last!.recorded };
}

async function explain(core: Core): Promise<void> {
  const svc = new ReminderService(core);
  const days = new WorkingDays(core.calendar.calendar);
  const horizon = scanHorizon(shanghaiDate(NOW), days, reminderPolicy(core.config));
  const q = svc.dueDeadlines.query(horizon, DUTY_DEADLINES).whereIn('c.status', [...OPEN_STATUSES]);
  const [plan] = await core.db.raw(`EXPLAIN ${q.toString()}`);
  console.log(`\nEXPLAIN of the scan query (due_date <= ${horizon}):`);
  console.table(plan.map((r: any) => ({ table: r.table, type: r.type, key: r.key, rows: r.rows, Extra: r.Extra })));
  // What the query really reads, from the handler counters of one connection.
  await core.db.transaction(async (trx) => {
    await trx.raw('FLUSH STATUS');
    const rows = await q.clone().transacting(trx);
    const [status] = await trx.raw("SHOW SESSION STATUS LIKE 'Handler_read%'");
    const get = (name: string) => Number(status.find((s: any) => s.Variable_name === name)?.Value ?? 0);
    console.log(
      `rows returned ${rows.length}; index reads: Handler_read_key ${get('Handler_read_key')}, Handler_read_next ${get('Handler_read_next')}, ` +
        `full-scan reads Handler_read_rnd_next ${get('Handler_read_rnd_next')}`,
    );
  });
}

async function main(): Promise<void> {
  await recreateDatabase(URL_);
  const config = loadConfig({ DATABASE_URL: URL_, LOG_LEVEL: 'silent', CONFIG_DIR: 'config' });
  const core = await openCore(config, { logger: createLogger('silent') });
  try {
    await seedNumbers(core);
    await seedDirectory(core);

    let t0 = Date.now();
    await loadCases(core, 1, SMALL);
    await core.db.raw('ANALYZE TABLE cases, case_deadlines');
    console.log(`loaded ${SMALL.toLocaleString()} cases (${(SMALL / 10).toLocaleString()} open, ${DUE} due) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const small = await measure(core, `${SMALL.toLocaleString()} cases`);

    t0 = Date.now();
    await loadCases(core, SMALL + 1, LARGE);
    await core.db.raw('ANALYZE TABLE cases, case_deadlines');
    const counts = await core.db('case_deadlines').select('status').count('* as n').groupBy('status');
    console.log(
      `loaded up to ${LARGE.toLocaleString()} cases (${(LARGE / 10).toLocaleString()} open, still ${DUE} due) in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `case_deadlines: ${counts.map((c: any) => `${c.status} ${Number(c.n).toLocaleString()}`).join(', ')}`,
    );
    const large = await measure(core, `${LARGE.toLocaleString()} cases`);

    await explain(core);
    const ratio = large.median / small.median;
    console.log(`\nratio 1,000,000 / 100,000 cases: whole scan ${ratio.toFixed(2)}, read alone ${(large.query / small.query).toFixed(2)} (near 1: the scan reads only due rows)`);
    console.log(`target ≤ 1000 ms at 1,000,000 cases: ${large.median <= 1000 ? 'met' : 'MISSED'} (${large.median.toFixed(0)} ms)`);
    if (small.messages !== large.messages) console.log(`WARNING: different work in the two runs (${small.messages} vs ${large.messages} messages)`);
  } finally {
    await core.db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
