/**
 * A province's cases for the benchmarks (issue 18): generated on the MariaDB server itself
 * (INSERT … SELECT over the Sequence engine's seq_1_to_N), kept between runs and reused when the
 * database already holds them (`rebuild: true`, or BENCH_REBUILD=1 in the benchmarks, makes it anew).
 *
 *   import { ensureProvinceData } from './province-data';
 *   const info = await ensureProvinceData('mysql://root@127.0.0.1:3306/xinfang_bench_province', { cases: 10_000_000 });
 *
 * What it holds (the schema of every migration, applied first; ids are 1..cases, in received order):
 *  - 100 counties (县001 … 县100), each with 12 towns (县001阳城镇 …, config/reference.json's towns) and
 *    20 handling units: the 12 town governments (县001阳城镇人民政府 …) and 8 county departments
 *    (县001住建局 …): 1,200 towns and 2,000 units in all (`PROVINCE_UNITS`). Case n is in county n % 100.
 *  - cases received evenly from 2017-01-01 to DATA_AS_OF (2026-10-11), about 2,800 a day at 10,000,000;
 *    case_no `YYYY-NNNNNNNN` (n, eight digits: a province numbers past the county's six).
 *    Category, channel, purpose from reference.json's lists (by n); 1 in 40 a 集体访, 1 in 100 挂牌督办,
 *    1 in 50 with a 包案领导 (ld-<county>).
 *  - status: received in the last OPEN_DAYS (42) days → handling (open); older → concluded 70 %,
 *    closed 15 %, not_accepted 8 %, transferred 7 % (by a hash of n). decided_date = received + 5,
 *    replied_date (concluded/closed) = received + 40.
 *  - case_deadlines: every case a decision deadline (received + 15, met on decided_date); accepted
 *    cases a conclusion deadline (received + 60): met on replied_date, or open for the handling ones,
 *    which therefore all fall due after DATA_AS_OF + 18 days, beyond any reminder horizon of the
 *    scan day 2026-10-12. A benchmark makes its own due deadlines (bench/reminder-scan.ts moves
 *    the oldest open ones into the scan's window) and puts them back afterwards.
 *  - nothing else: no roster, no events, no reminders, no outbox rows.
 * Size: about 1.2 GB per 1,000,000 cases with the indexes (10,000,000: 11.75 GB; bench/README.md).
 * Secondary indexes are dropped while loading and rebuilt after (sorted builds, not row by row).
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';

export const DATA_FROM = '2017-01-01';
export const DATA_AS_OF = '2026-10-11';
/** Cases received this many days before DATA_AS_OF (inclusive) or later are open (handling). */
export const OPEN_DAYS = 42;
export const COUNTIES = 100;
const GENERATOR_VERSION = '1';

const TOWNS = ['阳城镇', '七拱镇', '太平镇', '杨梅镇', '大崀镇', '小江镇', '岭背镇', '黄坌镇', '黎埠镇', '江英镇', '青莲镇', '秤架瑶族乡'];
const DEPARTMENTS = ['住建局', '人社局', '自然资源局', '市场监管局', '农业农村局', '交通运输局', '卫健局', '公安局'];
const CATEGORIES = ['农村农业', '市场监督', '自然资源', '城乡建设', '生态环境', '劳动和社会保障', '交通运输', '卫生健康', '房产物业', '经济管理', '文体旅游', '党务政务'];
const CHANNELS = ['来信', '来访', '网上信访', '电话', '领导接访'];
const PURPOSES = ['申诉', '求决', '意见建议', '揭发控告', '其他'];
const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周丽', '吴军'];

export function countyName(c: number): string {
  return `县${String(c + 1).padStart(3, '0')}`;
}

/** Every handling unit of the province (2,000): each county's town governments and departments. */
export const PROVINCE_UNITS: string[] = Array.from({ length: COUNTIES }, (_, c) => [
  ...TOWNS.map((t) => `${countyName(c)}${t}人民政府`),
  ...DEPARTMENTS.map((d) => `${countyName(c)}${d}`),
]).flat();

export interface ProvinceInfo {
  cases: number;
  /** Open conclusion deadlines (all due after the scan window). */
  open: number;
  /** Whether this call generated the data (false: reused). */
  generated: boolean;
  seconds: number;
  /** Data and index size of the database, bytes. */
  bytes: number;
}

function sqlList(xs: string[]): string {
  return xs.map((x) => `'${x}'`).join(',');
}

async function connect(url: string, database?: string): Promise<Connection> {
  const u = new URL(url);
  return createConnection({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password), database, multipleStatements: false,
  });
}

async function meta(conn: Connection): Promise<Map<string, string>> {
  try {
    const [rows] = await conn.query('SELECT k, v FROM bench_province');
    return new Map((rows as any[]).map((r) => [r.k, r.v]));
  } catch {
    return new Map();
  }
}

/** The non-unique secondary indexes of a table, as `ADD INDEX` clauses, dropped now and added back by the caller. */
async function dropSecondaryIndexes(conn: Connection, table: string): Promise<string[]> {
  const [rows] = await conn.query(
    `SELECT INDEX_NAME AS name, GROUP_CONCAT(CONCAT('\`', COLUMN_NAME, '\`', IF(SUB_PART IS NULL, '', CONCAT('(', SUB_PART, ')'))) ORDER BY SEQ_IN_INDEX) AS cols
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND NON_UNIQUE = 1 GROUP BY INDEX_NAME`,
    [table],
  );
  const defs = (rows as any[]).map((r) => ({ name: String(r.name), cols: String(r.cols) }));
  if (defs.length) await conn.query(`ALTER TABLE \`${table}\` ${defs.map((d) => `DROP INDEX \`${d.name}\``).join(', ')}`);
  return defs.map((d) => `ADD INDEX \`${d.name}\` (${d.cols})`);
}

async function loadCases(conn: Connection, total: number, log: (s: string) => void): Promise<void> {
  const days = `DATEDIFF('${DATA_AS_OF}', '${DATA_FROM}') + 1`;
  const openFrom = `DATE_SUB('${DATA_AS_OF}', INTERVAL ${OPEN_DAYS - 1} DAY)`;
  const CHUNK = 500_000;
  for (let a = 1; a <= total; a += CHUNK) {
    const b = Math.min(total, a + CHUNK - 1);
    const t0 = Date.now();
    // x: n, its county c, its received day r, and h, a hash of n choosing the older cases' status.
    await conn.query(
      `INSERT INTO cases (id, case_no, year, status, name, headcount, is_group, channel, town, category, purpose, content,
         received_at, received_date, unit, leader_id, supervised, accepted_date, decided_date, replied_date, anonymous,
         registered_by, created_at, updated_at)
       SELECT n, CONCAT(YEAR(r), '-', LPAD(n, 8, '0')), YEAR(r), st, ELT(1 + n % 10, ${sqlList(NAMES)}), IF(n % 40 = 0, 5, 1), n % 40 = 0,
         ELT(1 + (n DIV 7) % 5, ${sqlList(CHANNELS)}), CONCAT(cn, ELT(1 + (n DIV 100) % 12, ${sqlList(TOWNS)})),
         ELT(1 + (n DIV 3) % 12, ${sqlList(CATEGORIES)}), ELT(1 + (n DIV 11) % 5, ${sqlList(PURPOSES)}), '基准测试数据：省级规模',
         CONCAT(r, ' 01:30:00.000'), r,
         IF(h % 5 < 3, CONCAT(cn, ELT(1 + (n DIV 100) % 12, ${sqlList(TOWNS)}), '人民政府'), CONCAT(cn, ELT(1 + (n DIV 100) % 8, ${sqlList(DEPARTMENTS)}))),
         IF(n % 50 = 0, CONCAT('ld-', c), NULL), n % 100 = 0,
         IF(st IN ('handling', 'concluded', 'closed'), DATE_ADD(r, INTERVAL 5 DAY), NULL),
         DATE_ADD(r, INTERVAL 5 DAY),
         IF(st IN ('concluded', 'closed'), DATE_ADD(r, INTERVAL 40 DAY), NULL), 0,
         'bench', CONCAT(r, ' 01:30:00.000'), CONCAT(r, ' 01:30:00.000')
       FROM (
         SELECT n, c, cn, r, h,
           CASE WHEN r >= ${openFrom} THEN 'handling' WHEN h % 100 < 70 THEN 'concluded' WHEN h % 100 < 85 THEN 'closed'
                WHEN h % 100 < 93 THEN 'not_accepted' ELSE 'transferred' END AS st
         FROM (
           SELECT seq AS n, seq % ${COUNTIES} AS c, CONCAT('县', LPAD(seq % ${COUNTIES} + 1, 3, '0')) AS cn,
             DATE_FORMAT(DATE_ADD('${DATA_FROM}', INTERVAL FLOOR((seq - 1) * (${days}) / ${total}) DAY), '%Y-%m-%d') AS r,
             (seq * 2654435761) % 1000003 AS h
           FROM seq_${a}_to_${b}
         ) y
       ) x`,
    );
    await conn.query(
      `INSERT INTO case_deadlines (case_id, kind, due_date, provisional, status, unit, met_date, created_at, updated_at)
       SELECT id, 'decision', DATE_FORMAT(DATE_ADD(received_date, INTERVAL 15 DAY), '%Y-%m-%d'), 0, 'met', NULL, decided_date, created_at, created_at
       FROM cases WHERE id BETWEEN ? AND ?`,
      [a, b],
    );
    await conn.query(
      `INSERT INTO case_deadlines (case_id, kind, due_date, provisional, status, unit, met_date, created_at, updated_at)
       SELECT id, 'conclusion', DATE_FORMAT(DATE_ADD(received_date, INTERVAL 60 DAY), '%Y-%m-%d'), 0,
         IF(status = 'handling', 'open', 'met'), unit, replied_date, created_at, created_at
       FROM cases WHERE id BETWEEN ? AND ? AND status IN ('handling', 'concluded', 'closed')`,
      [a, b],
    );
    log(`  cases ${a.toLocaleString()}–${b.toLocaleString()} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

async function databaseBytes(conn: Connection): Promise<number> {
  const [rows] = await conn.query('SELECT SUM(DATA_LENGTH + INDEX_LENGTH) AS b FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  return Number((rows as any[])[0].b ?? 0);
}

async function openCount(conn: Connection): Promise<number> {
  const [rows] = await conn.query("SELECT COUNT(*) AS n FROM case_deadlines WHERE status = 'open'");
  return Number((rows as any[])[0].n);
}

/**
 * The province's `cases` in the database of `url` (created if missing): reused when a previous
 * call made the same number with this generator, otherwise (or with `rebuild`) made anew.
 */
export async function ensureProvinceData(
  url: string,
  opts: { cases: number; rebuild?: boolean; log?: (s: string) => void },
): Promise<ProvinceInfo> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const database = new URL(url).pathname.slice(1);
  if (!/^xinfang_bench_[A-Za-z0-9_]+$/.test(database)) throw new Error(`refusing ${database}: the database name must start with xinfang_bench_`);
  const t0 = Date.now();
  const server = await connect(url);
  try {
    await server.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await server.query(`USE \`${database}\``);
    const m = await meta(server);
    if (!opts.rebuild && m.get('version') === GENERATOR_VERSION && Number(m.get('cases')) === opts.cases && m.get('complete') === '1') {
      // Reused: only migrations added since are applied (new indexes are built on the existing rows).
      const db = await openDatabase(url);
      try {
        await migrateLatest(db);
      } finally {
        await db.destroy();
      }
      return { cases: opts.cases, open: await openCount(server), generated: false, seconds: (Date.now() - t0) / 1000, bytes: await databaseBytes(server) };
    }
    log(`generating ${opts.cases.toLocaleString()} cases in ${database} …`);
    await server.query(`DROP DATABASE \`${database}\``);
    await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await server.query(`USE \`${database}\``);
    const db = await openDatabase(url);
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    await server.query('CREATE TABLE bench_province (k VARCHAR(32) PRIMARY KEY, v VARCHAR(200) NOT NULL)');
    await server.query('INSERT INTO bench_province VALUES (?, ?), (?, ?), (?, ?)', ['version', GENERATOR_VERSION, 'cases', String(opts.cases), 'complete', '0']);
    await server.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    const casesIdx = await dropSecondaryIndexes(server, 'cases');
    const deadlinesIdx = await dropSecondaryIndexes(server, 'case_deadlines');
    await loadCases(server, opts.cases, log);
    let t1 = Date.now();
    if (casesIdx.length) await server.query(`ALTER TABLE cases ${casesIdx.join(', ')}`);
    log(`  ${casesIdx.length} indexes of cases rebuilt in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    t1 = Date.now();
    if (deadlinesIdx.length) await server.query(`ALTER TABLE case_deadlines ${deadlinesIdx.join(', ')}`);
    log(`  ${deadlinesIdx.length} indexes of case_deadlines rebuilt in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    await server.query('ANALYZE TABLE cases, case_deadlines');
    await server.query("UPDATE bench_province SET v = '1' WHERE k = 'complete'");
    const bytes = await databaseBytes(server);
    return { cases: opts.cases, open: await openCount(server), generated: true, seconds: (Date.now() - t0) / 1000, bytes };
  } finally {
    await server.end();
  }
}
