/**
 * Form turns of 信访登记 on MySQL, for 1,000 simulated staff filling the form at the same time.
 *
 * A turn is what the bot does with one message, minus Lark I/O: router.handle() — the user
 * lookup, the forms middleware, parsing and validating the answer, building the reply (text or
 * card JSON), reading the draft and writing it back with its version check. Each staffer sends
 * the 13 messages of a conversational registration (登记 … 事项内容 … 取消), then one pasted
 * block. The baseline, in the same run and under the same load, is a bare draft upsert (one
 * INSERT … ON DUPLICATE KEY UPDATE of a state of the same size) per turn.
 *
 * Load: by default open-loop — the 1,000 staff together send BENCH_RATE messages a second (200:
 * each one a message every 5 s, a busy morning), and a turn's time runs from when its message
 * was due, so time spent queueing counts. With BENCH_CONCURRENCY=N instead, N turns are kept in
 * flight back to back (closed loop; N=1 gives the bare per-turn latency). Staff come in groups
 * of 100, each group running baseline, turns and blocks back to back, so background work of the
 * database falls on all three alike; each staffer's turns stay in order.
 *
 *   npx tsx bench/form-turn.ts     (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306/xinfang_bench_intake;
 *                                   BENCH_STAFF=1000, BENCH_RATE=200 or BENCH_CONCURRENCY=N)
 *
 * Target: p99 ≤ 30 ms per turn.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createConnection } from 'mysql2/promise';
import { buildApp } from '../src/app';
import type { Incoming } from '../src/platform/chat/messages';
import { loadConfig } from '../src/platform/settings/config';
import { openCore } from '../src/platform/core/open-core';
import { toDbTime } from '../src/platform/database/time';
import { idCheckChar } from '../src/platform/personal-data/id-number';
import { createLogger } from '../src/platform/logging/logger';

const URL_ = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_intake';
const STAFF = Number(process.env.BENCH_STAFF ?? 1000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : null;
const RATE = Number(process.env.BENCH_RATE ?? 200);
const TARGET_P99_MS = 30;

const CONTENT = '村道被占用，要求恢复通行。'.repeat(20); // ~260 characters, a typical 事项内容

function idFor(i: number): string {
  const first17 = `441823${1950 + (i % 50)}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

const NAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张';
const nameFor = (i: number) => `${NAMES[i % NAMES.length]}某${'甲乙丙丁戊己庚辛壬癸'[Math.floor(i / NAMES.length) % 10]}`;

/** The messages of one conversational registration, ending in 取消 so drafts do not pile up. */
function conversation(i: number): string[] {
  return [
    '登记', nameFor(i), idFor(i), `138${String(10_000_000 + i).slice(-8)}`, '阳城镇新村路3号', String(1 + (i % 7)),
    '来访', '跳过', String(1 + (i % 13)), String(1 + (i % 20)), '跳过', CONTENT, '取消',
  ];
}

function block(i: number): string {
  return [
    '登记', `姓名：${nameFor(i)}`, `身份证号：${idFor(i)}`, `电话：139${String(10_000_000 + i).slice(-8)}`, '人数：1', '信访形式：来信',
    '问题属地：七拱镇', '问题类别：劳动和社会保障', `事项内容：${CONTENT}`, '第二段：已向劳动监察反映。',
  ].join('\n');
}

async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${u.pathname.slice(1)}\``);
  await conn.end();
}

/** Runs the jobs in order, `concurrency` at a time (closed loop); returns each job's milliseconds. */
async function closedLoop(jobs: Array<() => Promise<void>>, concurrency: number): Promise<number[]> {
  const times = new Array<number>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const t = performance.now();
      await jobs[i]();
      times[i] = performance.now() - t;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return times;
}

/**
 * Starts job i at i/rate seconds (open loop) whether or not the earlier ones are done; a job's
 * time runs from when it was due, so falling behind shows in the figures.
 */
async function openLoop(jobs: Array<() => Promise<void>>, rate: number): Promise<number[]> {
  const times = new Array<number>(jobs.length);
  const start = performance.now();
  const running: Array<Promise<void>> = [];
  for (let i = 0; i < jobs.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    running.push(jobs[i]().then(() => void (times[i] = performance.now() - due)));
  }
  await Promise.all(running);
  return times;
}

const timed = (jobs: Array<() => Promise<void>>) => (CONCURRENCY ? closedLoop(jobs, CONCURRENCY) : openLoop(jobs, RATE));

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { n: s.length, median: q(0.5), p99: q(0.99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

const fmt = (x: number) => x.toFixed(2).padStart(7);

async function main() {
  await recreateDatabase(URL_);
  const config = loadConfig({ DATABASE_URL: URL_, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'false' });
  const core = await openCore(config, { logger: createLogger('silent'), migrate: true });
  const app = buildApp(core);
  const db = core.db;

  const staff = Array.from({ length: STAFF }, (_, i) => `bench-staff-${String(i).padStart(4, '0')}`);
  const t0 = toDbTime(new Date());
  for (let a = 0; a < staff.length; a += 500) {
    await db('users').insert(staff.slice(a, a + 500).map((id, k) => ({ id, name: `登记员${a + k}`, role: 'staff', created_at: t0, updated_at: t0 })));
  }

  const message = (i: number, text: string): Incoming => ({ kind: 'message', userId: staff[i], chatId: `p2p:${staff[i]}`, chatType: 'p2p', text });
  let wrong = 0;
  const turnJob = (i: number, text: string, expect?: string) => async () => {
    const replies = JSON.stringify(await app.router.handle(message(i, text)));
    if ((expect && !replies.includes(expect)) || replies.includes('另一条消息更新') || replies.includes('抱歉')) wrong++;
  };

  // A state as big as a draft's at the summary, for the bare upsert.
  const sample = await (async () => {
    await app.router.handle(message(0, block(0)));
    const row = await db('form_drafts').where({ user_id: staff[0] }).first();
    await db('form_drafts').delete();
    return String(row.state);
  })();
  let version = 0;
  const upsertJob = (i: number) => async () => {
    const t = toDbTime(new Date());
    await db('form_drafts')
      .insert({ user_id: `bare-${staff[i]}`, chat_id: 'p2p', form: 'petition', state: sample, version: 1, created_at: t, updated_at: t, expires_at: t })
      .onConflict(['user_id', 'chat_id'])
      .merge({ state: sample, version: ++version, updated_at: t, expires_at: t });
  };

  // Warm-up (connections, JIT), not counted.
  await closedLoop(Array.from({ length: 200 }, (_, k) => upsertJob(k % STAFF)), 4);
  await closedLoop(conversation(0).map((text) => turnJob(0, text)), 1);
  await db('form_drafts').delete();

  // The staff come in groups of 100; for each group the baseline, the turns and the blocks run
  // one after the other, so that what the database does in the background falls on all three
  // alike. Within a group the turns interleave: every staffer's first message, then every second
  // one, … (each staffer's own turns stay in order: the rest of the group's messages lie between them).
  const GROUP = Math.min(100, STAFF);
  const baseMs: number[] = [];
  const turnMs: number[] = [];
  const blockMs: number[] = [];
  const turnsPerStaff = conversation(0).length;
  for (let g = 0; g < STAFF; g += GROUP) {
    const members = staff.slice(g, g + GROUP).map((_, k) => g + k);
    const upserts: Array<() => Promise<void>> = [];
    const turns: Array<() => Promise<void>> = [];
    for (let t = 0; t < turnsPerStaff; t++) {
      for (const i of members) {
        upserts.push(upsertJob(i));
        const expect = t === turnsPerStaff - 2 ? '请确认' : t === turnsPerStaff - 1 ? '已取消' : undefined;
        turns.push(turnJob(i, conversation(i)[t], expect));
      }
    }
    baseMs.push(...(await timed(upserts)));
    turnMs.push(...(await timed(turns)));
    blockMs.push(...(await timed(members.map((i) => turnJob(i, block(i), '请确认')))));
  }
  const base = stats(baseMs);
  const turns = stats(turnMs);
  const blocks = stats(blockMs);
  const leftover = Number((await db('form_drafts').where('user_id', 'like', 'bench-%').count({ n: '*' }).first())?.n ?? 0);

  console.log(`form-turn on ${URL_.replace(/\/\/[^@]*@/, '//')} — ${STAFF} staff, ${CONCURRENCY ? `closed loop, ${CONCURRENCY} in flight` : `open loop, ${RATE} messages/s`}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('                                   turns   median     p99     max    mean  (ms)');
  const row = (label: string, s: ReturnType<typeof stats>) => console.log(`${label.padEnd(32)} ${String(s.n).padStart(6)}  ${fmt(s.median)} ${fmt(s.p99)} ${fmt(s.max)} ${fmt(s.mean)}`);
  row('bare draft upsert (baseline)', base);
  row('form turn, one field at a time', turns);
  row('form turn, pasted block', blocks);
  console.log(`ratio to baseline: turn median ${(turns.median / base.median).toFixed(1)}x, p99 ${(turns.p99 / base.p99).toFixed(1)}x; block median ${(blocks.median / base.median).toFixed(1)}x, p99 ${(blocks.p99 / base.p99).toFixed(1)}x`);
  console.log(`target p99 ≤ ${TARGET_P99_MS} ms: turns ${turns.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}, block ${blocks.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}`);
  console.log(`checks: ${wrong} unexpected replies; ${leftover} drafts left open (the ${STAFF} block drafts await 确认)`);
  await db.destroy();
  if (wrong > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
