/**
 * `xinfang stats --period 2026` on 1,000,000 cases (SQLite): seeds 1,000,000 cases received in 2026
 * and 250,000 in the last quarter of 2025 (so 2025's deadlines fall into 2026 and the previous period
 * has data), two deadlines each, 5% linked as repeats, 1% under 挂牌督办, 20,000 disputes, 2,000
 * letters, 3,000 reviews and 500 reception sessions. Then times, 3 runs each:
 *  - StatsService.report(2026) (every figure, and 2025 for comparison);
 *  - the CLI path, `xinfang stats --period 2026 --json` in-process (opening the database included);
 *  - the annual report, report + buildAnnualReportDocx;
 * and, as the baselines of the same run: one pass over the year's cases (`SELECT COUNT(*),
 * SUM(anonymous) … WHERE received_date in 2026`, the least any figure of the year can cost), and
 * (with --old) the row-loading read the statistics used before (every case row of the year into JS).
 *
 *   npx tsx bench/stats.ts [--old] [--reuse]   (BENCH_SQLITE, default a new file under the OS temp folder;
 *                                               --reuse: time an already seeded BENCH_SQLITE again)
 *
 * Target: ≤ 2 s each for the report, the CLI and the annual report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../src/cli';
import { StatsCaseQueries } from '../src/cases';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { openCore } from '../src/platform/core/open-core';
import { loadConfig } from '../src/platform/settings/config';
import { createLogger } from '../src/platform/logging/logger';
import { yearPeriod } from '../src/stats/domain/periods';
import { StatsService } from '../src/stats/stats-service';
import { buildAnnualReportDocx } from '../src/stats/annual-report';

const CASES_2026 = 1_000_000;
const CASES_2025 = 250_000;
const NOW = new Date('2026-12-02T02:00:00Z');
const RUNS = 3;
const file = process.env.BENCH_SQLITE ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-stats-')), 'stats.sqlite');

/** CASE n % len WHEN 0 THEN 'a' … END: the n-th value of a list, in SQL. */
const pick = (expr: string, xs: string[]) => `CASE ${expr} % ${xs.length} ${xs.map((x, i) => `WHEN ${i} THEN '${x}'`).join(' ')} END`;
const CHANNELS = ['来访', '来信', '网上信访', '电话', '领导接访'];
const TOWNS = ['阳城镇', '七拱镇', '太平镇', '杨梅镇', '大崀镇', '小江镇', '岭背镇', '黄坌镇', '黎埠镇', '江英镇', '青莲镇', '秤架瑶族乡'];
const CATEGORIES = ['农村农业', '市场监督', '自然资源', '城乡建设', '生态环境', '劳动和社会保障', '交通运输', '卫生健康', '房产物业', '其他'];
const PURPOSES = ['求决', '申诉', '建议', '揭发控告', '咨询'];
const T = '2026-01-01 00:00:00.000';

/** n-th case: received over [start, start+days), decided 1–20 days later (some never), replied for 70%. */
function seedCases(sq: Database.Database, from: number, count: number, start: string, days: number): void {
  sq.prepare(
    `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${from + count - 1})
     INSERT INTO cases (id, case_no, year, status, name, headcount, is_group, channel, town, category, purpose, content, received_at, received_date,
       decided_date, replied_date, supervised, anonymous, registered_by, created_at, updated_at)
     SELECT n, 'B' || n, 2026, CASE WHEN n % 10 < 7 THEN 'concluded' WHEN n % 10 < 9 THEN 'handling' ELSE 'registered' END, '测试人', 1, n % 50 = 0,
       ${pick('n', CHANNELS)}, ${pick('n', TOWNS)}, ${pick('(n / 7)', CATEGORIES)}, CASE WHEN n % 6 = 5 THEN NULL ELSE ${pick('n', PURPOSES)} END, '基准',
       '${T}', date('${start}', '+' || (n % ${days}) || ' days'),
       CASE WHEN n % 10 < 9 THEN date('${start}', '+' || (n % ${days} + 1 + n % 20) || ' days') END,
       CASE WHEN n % 10 < 7 THEN date('${start}', '+' || (n % ${days} + 40 + n % 50) || ' days') END,
       n % 100 = 0, n % 40 = 0, 'bench', '${T}', '${T}'
     FROM seq`,
  ).run();
}

function seed(): void {
  const sq = new Database(file);
  sq.pragma('journal_mode = WAL');
  sq.pragma('synchronous = OFF');
  const start = Date.now();
  sq.transaction(() => {
    seedCases(sq, 1, CASES_2025, '2025-10-01', 92);
    seedCases(sq, CASES_2025 + 1, CASES_2026, '2026-01-01', 335);
    // met_date as the app writes it (computeDeadlines' metDate): the decided date, the replied date.
    sq.prepare(`INSERT INTO case_deadlines (case_id, kind, due_date, status, met_date, created_at, updated_at)
      SELECT id, 'decision', date(received_date, '+15 days'), CASE WHEN decided_date IS NULL THEN 'open' ELSE 'met' END, decided_date, '${T}', '${T}' FROM cases`).run();
    sq.prepare(`INSERT INTO case_deadlines (case_id, kind, due_date, status, met_date, created_at, updated_at)
      SELECT id, 'conclusion', date(decided_date, '+' || (60 + CASE WHEN id % 7 = 0 THEN 30 ELSE 0 END) || ' days'), CASE WHEN replied_date IS NULL THEN 'open' ELSE 'met' END, replied_date, '${T}', '${T}'
      FROM cases WHERE decided_date IS NOT NULL`).run();
    sq.prepare(`INSERT INTO case_links (case_id, linked_case_id, reason) SELECT id, id - 1, 'id_number' FROM cases WHERE id % 20 = 0`).run();
    sq.prepare(`INSERT INTO case_events (case_id, action, from_status, to_status, actor_id, at)
      SELECT id, 'supervise', status, status, 'bench', received_date || ' 02:00:00.000' FROM cases WHERE supervised`).run();
    sq.prepare(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 20000)
      INSERT INTO disputes (dispute_no, year, screening, source, found_date, town, category, summary, parties, risk, unit, owner, target_date, status, closed_date, registered_by, created_at, updated_at)
      SELECT 'D' || n, 2026, '定期排查', '网格', date('2025-06-01', '+' || (n % 550) || ' days'), '阳城镇', '土地纠纷', '基准', '[]', '低', '阳城镇', '张三',
        date('2025-06-01', '+' || (n % 550 + 30) || ' days'), CASE WHEN n % 10 < 8 THEN 'resolved' WHEN n % 10 = 8 THEN 'escalated' ELSE 'open' END,
        CASE WHEN n % 10 < 9 THEN date('2025-06-01', '+' || (n % 550 + 20) || ' days') END, 'bench', '${T}', '${T}' FROM seq`).run();
    sq.prepare(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 2000)
      INSERT INTO letters (number, kind, year, seq, unit, case_nos, issued_date, issued_by, created_at)
      SELECT 'L' || n, CASE n % 3 WHEN 0 THEN '提醒函' WHEN 1 THEN '督办函' ELSE '改进工作建议函' END, 2026, n, '县住建局', '[]', date('2025-06-01', '+' || (n % 550) || ' days'), 'bench', '${T}' FROM seq`).run();
    sq.prepare(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 3000)
      INSERT INTO reviews (review_no, case_id, case_no, case_unit, status, problems, reviewed_date, drawn_date, created_at, updated_at)
      SELECT 'R' || n, n * 100, 'B' || (n * 100), '县住建局', CASE WHEN n % 10 = 0 THEN 'fixed' ELSE 'ok' END, CASE WHEN n % 10 = 0 THEN '["超期"]' ELSE '[]' END,
        date('2025-06-01', '+' || (n % 550) || ' days'), '2025-06-01', '${T}', '${T}' FROM seq`).run();
    sq.prepare(`INSERT INTO venues (id, name, kind, town) VALUES ('center', '县信访接待中心', 'center', '阳城镇')`).run();
    sq.prepare(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 500)
      INSERT INTO sessions (uid, date, slot, start_time, end_time, type, venue_id, status, outcome, plan_year, created_at, updated_at)
      SELECT 'S' || n, date('2025-06-01', '+' || n || ' days'), '上午', '09:00', '12:00', '接访', 'center', 'held', '{"batches":3,"persons":5}', 2026, '${T}', '${T}' FROM seq`).run();
  })();
  sq.pragma('wal_checkpoint(TRUNCATE)');
  sq.exec('ANALYZE');
  sq.close();
  console.log(`seeded ${(CASES_2025 + CASES_2026).toLocaleString('en')} cases (+ deadlines, links, ledgers) in ${((Date.now() - start) / 1000).toFixed(1)} s into ${file}`);
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    value = await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`${label.padEnd(44)} ${best.toFixed(0).padStart(6)} ms (best of ${RUNS})`);
  return { ms: best, value };
}

async function main(): Promise<void> {
  const url = `sqlite:${file}`;
  if (!fs.existsSync(file) || !process.argv.includes('--reuse')) {
    const db0 = await openDatabase(url);
    await migrateLatest(db0);
    await db0.destroy();
    seed();
  }

  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', CONFIG_DIR: 'config' });
  const core = await openCore(config, { logger: createLogger('silent'), now: () => NOW });
  const year = yearPeriod(2026);
  const baseline = await timed('baseline: one pass over the year\'s cases', async () =>
    core.db.raw("SELECT COUNT(*) AS n, SUM(anonymous) AS a FROM cases WHERE received_date BETWEEN '2026-01-01' AND '2026-12-31'"));
  const service = new StatsService(core);
  const report = await timed('StatsService.report(2026)', () => service.report(year));
  console.log(`  registered ${report.value.registered}, 及时受理率 ${report.value.timelyAcceptance.numerator}/${report.value.timelyAcceptance.denominator}, ` +
    `按期办结率 ${report.value.onTimeConclusion.numerator}/${report.value.onTimeConclusion.denominator}, 督办 ${report.value.supervisedCount}, overdue now ${report.value.overdueNow.total}`);
  const cli = await timed('xinfang stats --period 2026 --json (CLI)', async () => {
    let out = '';
    const code = await runCli(['stats', '--period', '2026', '--json'], { out: (s) => { out += s; }, err: () => undefined, setExitCode: () => undefined }, { DATABASE_URL: url, LOG_LEVEL: 'silent', CONFIG_DIR: 'config' });
    if (code !== 0 || JSON.parse(out).registered !== report.value.registered) throw new Error('the CLI did not print the same figures');
    return out.length;
  });
  const annual = await timed('annual report: report + buildAnnualReportDocx', async () =>
    buildAnnualReportDocx(await service.report(year), { orgName: '阳山县信访局', year: 2026, date: '2026-12-02' }));
  console.log(`  .docx ${annual.value.length.toLocaleString('en')} bytes`);
  const old = process.argv.includes('--old')
    ? await timed('old: every case row of the year into JS', async () => (await new StatsCaseQueries(core.db).receivedBetween('2025-08-04', '2026-12-31')).length)
    : null;
  await core.db.destroy();
  const ratio = (ms: number) => (ms / Math.max(baseline.ms, 0.001)).toFixed(1);
  console.log(`ratios against one pass over the year: report ${ratio(report.ms)}×, CLI ${ratio(cli.ms)}×, annual ${ratio(annual.ms)}×`);
  if (old) console.log(`the old row-loading read alone took ${(old.ms / report.ms).toFixed(1)}× the whole report`);
  const ok = report.ms <= 2000 && cli.ms <= 2000 && annual.ms <= 2000;
  console.log(ok ? 'target met: ≤ 2 s each' : 'TARGET MISSED: > 2 s');
  if (!process.env.BENCH_SQLITE) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
