/**
 * The public calendar feed for a year of 300 leaders (about 25,000 sessions), over real HTTP.
 *
 *   npx tsx bench/feeds.ts
 *     BENCH_DATABASE_URL   default: a new SQLite file under the OS temp folder; a mysql://… URL
 *                          is emptied and used instead (e.g. mysql://root@127.0.0.1:3306/xinfang_bench_feeds)
 *     BENCH_SESSIONS=25000 BENCH_LEADERS=300 BENCH_REPEAT=200
 *
 * Figures, all in this one process:
 * - cold: the first GET /ical/public.ics after start-up (no cache exists anywhere: queries,
 *   rendering, folding and sending the whole feed); and, in the warm process, a GET after a
 *   session changed, when nothing cached fits (median of 5);
 * - a full GET of an unchanged feed (the body kept for its ETag);
 * - 304: GET with the current ETag in If-None-Match, median and p95 of BENCH_REPEAT requests;
 * - 404: an unknown leader token, for comparison with a known token's 304;
 * - baseline: ical-generator rendering the same events with no database: the events are read
 *   first (not timed), put in one ICalCalendar and turned into text with its own toString().
 *   Also our renderer alone (the header by ical-generator, events by VeventWriter), no database.
 *
 * The server and the fetching client share this process (and, on the CI machine, two cores
 * with whatever else runs): the load average is printed last.
 *
 * Targets: cold ≤ 500 ms, 304 ≤ 5 ms.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ical from 'ical-generator';
import type { Knex } from 'knex';
import { createConnection } from 'mysql2/promise';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/platform/settings/config';
import { openCore } from '../src/platform/core/open-core';
import { parseDatabaseUrl } from '../src/platform/database/connection';
import { toDbTime } from '../src/platform/database/time';
import { addDays, isWeekend } from '../src/platform/calendar/domain';
import { createFeedService, feedWindow } from '../src/feeds/feed-service';
import { FEED_PRODID, FEED_TTL_SECONDS, renderCalendar } from '../src/feeds/ics';
import { sessionEvents } from '../src/feeds/session-calendar';
import { FEED_TIMEZONE, shanghaiVtimezone } from '../src/feeds/shanghai-time';
import { createLogger } from '../src/platform/logging/logger';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 25_000);
const LEADERS = Number(process.env.BENCH_LEADERS ?? 300);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 200);
const YEAR = 2026;
const NOW = new Date(`${YEAR}-01-01T01:00:00Z`); // 09:00 on New Year's Day: the whole year ahead
const TARGET_COLD_MS = 500;
const TARGET_304_MS = 5;

const TOWNS = ['阳城镇', '七拱镇', '太平镇', '杨梅镇', '大崀镇', '小江镇', '岭背镇', '黄坌镇', '黎埠镇', '江英镇', '青莲镇', '秤架瑶族乡', '东陂镇'];
const UNITS = ['县信访局', '县自然资源局', '县住房和城乡建设局', '县人力资源和社会保障局', '县农业农村局', '县公安局'];
const FOCUS = ['征地拆迁补偿', '农村土地承包', '劳动报酬', '房屋质量', '环境污染', null];

let tempDir: string | null = null;

async function databaseUrl(): Promise<string> {
  const given = process.env.BENCH_DATABASE_URL;
  if (!given) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-bench-feeds-'));
    return `sqlite:${path.join(tempDir, 'bench.sqlite')}`;
  }
  if (parseDatabaseUrl(given).dialect === 'mysql') {
    const u = new URL(given);
    const name = u.pathname.replace(/^\//, '');
    const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
  return given;
}

/** A fictional county: LEADERS leaders, a venue per town plus the centre and villages, SESSIONS sessions over the year's weekdays. */
async function seed(db: Knex): Promise<void> {
  const county = Math.max(1, Math.round(LEADERS / 15));
  const leaders = Array.from({ length: LEADERS }, (_, i) => {
    const town = TOWNS[i % TOWNS.length];
    const isCounty = i < county;
    return {
      id: `ld-${String(i).padStart(4, '0')}`, name: `领导${i}`, level: isCounty ? 'county' : 'town',
      title: isCounty ? ['县委副书记', '副县长', '县委常委'][i % 3] : `${town}${['党委书记', '镇长', '党委副书记', '副镇长'][i % 4]}`,
      towns: JSON.stringify(isCounty ? [] : [town]), sort_order: i, active: true,
    };
  });
  const venues: Array<{ id: string; name: string; kind: string; town: string | null; address: string | null }> = [
    { id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null, address: '阳城镇人民路8号' },
    ...TOWNS.map((t, i) => ({ id: `town-${i}`, name: `${t}综治中心`, kind: 'town', town: t, address: `${t}圩镇中路${i + 1}号` })),
    ...TOWNS.map((t, i) => ({ id: `village-${i}`, name: `${t}第${i + 1}村委会`, kind: 'village', town: t, address: null })),
  ];
  await db.batchInsert('leaders', leaders, 200);
  await db.batchInsert('venues', venues, 200);

  const days: string[] = [];
  for (let d = `${YEAR}-01-01`; d.startsWith(String(YEAR)); d = addDays(d, 1)) if (!isWeekend(d)) days.push(d);
  const t0 = toDbTime(new Date(`${YEAR - 1}-12-01T02:00:00Z`));
  const sessions = [];
  const links: Array<{ session_id: number; leader_id: string }> = [];
  for (let k = 0; k < SESSIONS; k++) {
    const leader = leaders[k % LEADERS];
    const isCounty = leader.level === 'county';
    const morning = k % 2 === 0;
    const status = k % 97 === 0 ? 'cancelled' : k % 31 === 0 ? 'changed' : k % 3 === 0 ? 'confirmed' : 'planned';
    sessions.push({
      id: k + 1, uid: `sess-${YEAR}-${String(k + 1).padStart(6, '0')}@xinfang-bench`, date: days[Math.floor((k * days.length) / SESSIONS)],
      slot: morning ? '上午' : '下午', start_time: morning ? '09:00' : '14:30', end_time: morning ? '12:00' : '17:30',
      type: isCounty ? (k % 4 === 0 ? '下访' : '接访') : k % 5 === 0 ? '下访' : '接访',
      venue_id: isCounty ? (k % 4 === 0 ? `village-${k % TOWNS.length}` : 'county-center') : `town-${TOWNS.indexOf(JSON.parse(leader.towns)[0])}`,
      accompany_units: JSON.stringify(UNITS.slice(0, 1 + (k % 3))), focus: FOCUS[k % FOCUS.length], capacity: 20,
      status, sequence: status === 'planned' ? 0 : 1 + (k % 3), plan_year: YEAR, note: '内部备注：不公开',
      created_at: t0, updated_at: status === 'planned' ? t0 : toDbTime(new Date(`${YEAR - 1}-12-${10 + (k % 20)}T03:00:00Z`)),
    });
    links.push({ session_id: k + 1, leader_id: leader.id });
    if (isCounty && k % 2 === 0) links.push({ session_id: k + 1, leader_id: leaders[(k + 1) % county].id === leader.id ? leaders[county].id : leaders[(k + 1) % county].id });
  }
  await db.batchInsert('sessions', sessions, 400);
  await db.batchInsert('session_leaders', links, 400);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

async function main(): Promise<void> {
  const url = await databaseUrl();
  const config = loadConfig({
    DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'false',
    FEED_RATE_LIMIT_BURST: '100000', FEED_RATE_LIMIT_PER_MIN: '100000', PUBLIC_BASE_URL: 'https://xf.example.gov.cn',
  });
  const core = await openCore(config, { logger: createLogger('silent'), now: () => NOW });
  const t = performance.now();
  await seed(core.db);
  const service = createFeedService(core);
  const leaderToken = (await service.tokens.create({ kind: 'leader', subject: 'ld-0001' })).secret;
  console.log(`seeded ${LEADERS} leaders and ${SESSIONS} sessions on ${parseDatabaseUrl(url).dialect} in ${ms(performance.now() - t)}`);

  const app = buildApp(core);
  const server = app.http.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetchFeed = async (p: string, headers: Record<string, string> = {}) => {
    const s = performance.now();
    const res = await fetch(base + p, { headers });
    const body = await res.arrayBuffer();
    return { ms: performance.now() - s, status: res.status, etag: res.headers.get('etag') ?? '', bytes: body.byteLength, body };
  };

  // 1. Cold: the very first request of the process.
  const cold = await fetchFeed('/ical/public.ics');
  if (cold.status !== 200) throw new Error(`public feed answered ${cold.status}`);
  const text = Buffer.from(cold.body).toString('utf8');
  const events = text.split('\r\nBEGIN:VEVENT\r\n').length - 1;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push((await fetchFeed('/ical/public.ics')).ms);
  // Rendered again from the rows by a service with no cache: the same bytes?
  const identical = (await createFeedService(core).render({ kind: 'public' }, NOW)) === text;

  // A cold feed in a warm process: after a session changes, nothing cached fits any more.
  const changed: number[] = [];
  let etag = cold.etag;
  for (let i = 0; i < 5; i++) {
    await core.db('sessions').where({ id: 1000 + i * 997 }).update({
      sequence: 9, status: 'changed', updated_at: toDbTime(new Date(NOW.getTime() - 3600_000 + i * 1000)),
    });
    const r = await fetchFeed('/ical/public.ics', { 'If-None-Match': etag });
    if (r.status !== 200 || r.etag === etag) throw new Error('a changed feed kept its ETag');
    etag = r.etag;
    changed.push(r.ms);
  }

  // 2. 304s.
  const notModified: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const r = await fetchFeed('/ical/public.ics', { 'If-None-Match': etag });
    if (r.status !== 304) throw new Error(`expected 304, got ${r.status}`);
    notModified.push(r.ms);
  }
  const leaderFirst = await fetchFeed(`/ical/leader/${leaderToken}.ics`);
  const leader304: number[] = [];
  const unknown404: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    leader304.push((await fetchFeed(`/ical/leader/${leaderToken}.ics`, { 'If-None-Match': leaderFirst.etag })).ms);
    const miss = await fetchFeed(`/ical/leader/${'x'.repeat(31)}${i % 10}.ics`, { 'If-None-Match': leaderFirst.etag });
    if (miss.status !== 404) throw new Error(`expected 404, got ${miss.status}`);
    unknown404.push(miss.ms);
  }
  server.close();

  // 3. Baselines: the same events, no database.
  const dims = await service.roster.dimensions();
  const rows = await service.roster.sessions({ kind: 'public' }, feedWindow(NOW, config.FEED_PAST_DAYS, config.FEED_CANCELLED_DAYS), dims);
  const input = { audience: 'public' as const, meta: { name: config.FEED_PUBLIC_TITLE }, sessions: rows, leaders: dims.leaders, venues: dims.venues, scheduleUrl: 'https://xf.example.gov.cn/schedule' };
  let s = performance.now();
  const cal = ical({ prodId: FEED_PRODID, name: config.FEED_PUBLIC_TITLE, ttl: FEED_TTL_SECONDS, timezone: { name: null, generator: shanghaiVtimezone } });
  for (const e of sessionEvents(input)) cal.createEvent({ ...e, timezone: FEED_TIMEZONE });
  const plain = cal.toString();
  const baselineLib = performance.now() - s;
  s = performance.now();
  const ours = renderCalendar(input.meta, sessionEvents(input)).toString('utf8');
  const baselineOurs = performance.now() - s;
  if (ours.split('\r\nBEGIN:VEVENT\r\n').length - 1 !== events) throw new Error('baseline rendered a different number of events');
  await core.db.destroy();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });

  const c304 = median(notModified);
  console.log('');
  console.log(`public feed: ${events} events, ${(cold.bytes / 1e6).toFixed(1)} MB; an unchanged feed is byte-identical: ${identical ? 'yes' : 'NO'}`);
  console.log(`baseline, ical-generator alone (createEvent + toString, no database): ${ms(baselineLib)}  (${(plain.length / 1e6).toFixed(1)} M chars)`);
  console.log(`baseline, our renderer alone (ical-generator header, VeventWriter events checked against ical-generator, no database): ${ms(baselineOurs)}`);
  const coldWarm = median(changed);
  console.log(`cold GET /ical/public.ics, first request of the process: ${ms(cold.ms)}  = ${(cold.ms / baselineLib).toFixed(3)} × ical-generator alone   target ≤ ${TARGET_COLD_MS} ms: ${cold.ms <= TARGET_COLD_MS ? 'met' : 'MISSED'}`);
  console.log(`cold GET after a session changed (nothing cached fits; warm process), median of 5: ${ms(coldWarm)}  = ${(coldWarm / baselineLib).toFixed(3)} × ical-generator alone, ${(coldWarm / baselineOurs).toFixed(2)} × our renderer alone   target ≤ ${TARGET_COLD_MS} ms: ${coldWarm <= TARGET_COLD_MS ? 'met' : 'MISSED'}`);
  console.log(`full GET of an unchanged feed (body kept by ETag), median of 5: ${ms(median(warm))}`);
  console.log(`304 (If-None-Match), ${REPEAT} requests: median ${ms(c304)}, p95 ${ms(pct(notModified, 0.95))}  = ${(c304 / baselineLib).toFixed(5)} × ical-generator alone   target ≤ ${TARGET_304_MS} ms: ${c304 <= TARGET_304_MS ? 'met' : 'MISSED'}`);
  console.log(`leader feed 304: median ${ms(median(leader304))}; unknown token 404: median ${ms(median(unknown404))}`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

main().catch((err) => {
  console.error(String(err?.stack ?? err).slice(0, 2000));
  process.exit(1);
});
