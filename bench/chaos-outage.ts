/**
 * Outages (issue 13), against the real server (`src/main.ts`, one node process with tsx's loader,
 * so its CPU can be read from /proc) on MariaDB:
 *
 *  1. Lark away: the fake Lark (test/helpers/fake-lark-server.ts), behind a gate that answers
 *     HTTP 500 to everything for the outage's length, while ~300 replies are queued (webhook
 *     events from registered staff, each answered by one message); then Lark is back. Prints how
 *     many were delivered, failed and duplicated, and how long the backlog took to drain.
 *     Target: every message delivered once, none failed.
 *  2. The database away: a small TCP proxy between the server and MariaDB is cut (its connections
 *     destroyed, new ones refused) for 30 s, then restored. Prints the server's CPU during the
 *     outage (against the same server idle just before) and the log lines it wrote.
 *     Target: ≤ 5 % of one core, ≤ 20 log lines; and a message sent after it.
 *
 *   npx tsx bench/chaos-outage.ts                  a 5-minute Lark outage, then a 30 s database outage
 *   npx tsx bench/chaos-outage.ts --quick          a 60 s Lark outage
 *   npx tsx bench/chaos-outage.ts --lark-seconds 150 --db-seconds 30 --messages 300 --only lark|db
 *
 * BENCH_MYSQL_URL: the server (default mysql://root@127.0.0.1:3306); databases xinfang_bench_outage_*
 * are made and dropped. Exit 1 when a target is missed. bench/chaos.ts runs it as its outage part
 * (runLarkOutage, runDbOutage).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import type { Knex } from 'knex';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { UserStore } from '../src/platform/directory/user-store';
import { FakeLarkServer, larkMessageEvent, startFakeLark } from '../test/helpers/fake-lark-server';
import { freePort, postLarkEvent } from '../test/helpers/server-process';

const ROOT = path.resolve(__dirname, '..');
const KEY = 'chaos-outage-encrypt-key';
const BASE_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

// ------------------------------------------------------------------ the pieces

/** A fresh database on the bench server; its URL (and the same through another host:port). */
async function freshDatabase(name: string): Promise<{ url: string; via: (port: number) => string; drop: () => Promise<void> }> {
  const u = new URL(BASE_URL);
  const conn = () => createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  const c = await conn();
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  const at = (host: string, port: number) => {
    const x = new URL(BASE_URL);
    x.hostname = host;
    x.port = String(port);
    x.pathname = `/${name}`;
    return x.toString();
  };
  return {
    url: at(u.hostname, Number(u.port || 3306)),
    via: (port) => at('127.0.0.1', port),
    drop: async () => {
      const d = await conn();
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/** In front of the fake Lark: passes requests through, or answers every one HTTP 500 while `down`. */
class LarkGate {
  down = false;
  refused = 0;
  url = '';
  private readonly server: http.Server;
  constructor(private readonly target: FakeLarkServer) {
    this.server = http.createServer((req, res) => {
      if (this.down) {
        this.refused++;
        req.resume();
        res.writeHead(500, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ code: 1, msg: 'internal error (chaos: Lark away)' }));
      }
      const t = new URL(this.target.url);
      const fwd = http.request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      fwd.on('error', () => res.destroy());
      req.pipe(fwd);
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    return this;
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

/** A TCP proxy to the database that can be cut (connections destroyed, new ones refused) and restored. */
class DbProxy {
  port = 0;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  constructor(private readonly host: string, private readonly targetPort: number) {}
  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }
  async cut(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => { s.close(() => r()); for (const x of this.sockets) x.destroy(); });
  }
  async close(): Promise<void> {
    await this.cut();
  }
}

interface Server {
  child: ChildProcess;
  /** Output lines, each with when it arrived. */
  lines: Array<{ at: number; text: string }>;
  exited: Promise<void>;
}

/** `src/main.ts` in one node process (tsx as a loader, not a parent process), its lines collected. */
function startServer(env: Record<string, string>): Server {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-outage-'));
  const loader = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(ROOT, 'src', 'main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Shanghai', CONFIG_DIR: path.join(ROOT, 'config'), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Server['lines'] = [];
  let rest = '';
  const take = (d: Buffer) => {
    const parts = (rest + String(d)).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) if (text.trim()) lines.push({ at: Date.now(), text });
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  return { child, lines, exited };
}

async function waitForLine(s: Server, text: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!s.lines.some((l) => l.text.includes(text))) {
    if (Date.now() > until || s.child.exitCode !== null) throw new Error(`no “${text}” from the server:\n${s.lines.slice(-20).map((l) => l.text).join('\n')}`);
    await sleep(50);
  }
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  s.child.kill('SIGTERM');
  await Promise.race([s.exited, sleep(30_000)]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}



async function seedStaff(db: Knex, n: number): Promise<string[]> {
  await migrateLatest(db);
  const ids = Array.from({ length: n }, (_, i) => `ou_outage_${String(i).padStart(4, '0')}`);
  const users = new UserStore(db);
  for (const id of ids) await users.upsert({ id, name: `值班员${id.slice(-4)}`, role: 'staff', unit: null, town: null, title: null });
  return ids;
}

function serverEnv(o: { dbUrl: string; port: number; larkUrl: string; fake: FakeLarkServer; jobs?: boolean }): Record<string, string> {
  return {
    DATABASE_URL: o.dbUrl, PORT: String(o.port), HOST: '127.0.0.1', JOBS_ENABLED: o.jobs ? 'true' : 'false', CONSOLE_ENABLED: 'false',
    LARK_APP_ID: o.fake.appId, LARK_APP_SECRET: o.fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY,
    LARK_VERIFICATION_TOKEN: 'verify-token', LARK_DOMAIN: o.larkUrl, LARK_BOT_OPEN_ID: o.fake.botOpenId,
  };
}

// ------------------------------------------------------------------ 1. Lark away

export interface LarkOutageResult {
  outageSeconds: number;
  events: number;
  acknowledged: number;
  queued: number;
  delivered: number;
  failed: number;
  duplicated: number;
  lost: number;
  refusedDuringOutage: number;
  drainSeconds: number;
  logLinesDuringOutage: number;
}

export async function runLarkOutage(o: { outageSeconds: number; messages: number; log?: (s: string) => void }): Promise<LarkOutageResult> {
  const log = o.log ?? console.log;
  const dbx = await freshDatabase(`xinfang_bench_outage_lark_${process.pid}`);
  const db = await openDatabase(dbx.url);
  const fake = await startFakeLark();
  const gate = await new LarkGate(fake).start();
  const port = await freePort();
  let server: Server | null = null;
  try {
    const staff = await seedStaff(db, Math.min(60, o.messages));
    server = startServer(serverEnv({ dbUrl: dbx.url, port, larkUrl: gate.url, fake }));
    await waitForLine(server, '信访助手已启动');
    gate.down = true;
    const downAt = Date.now();
    log(`Lark away (every call answered HTTP 500) for ${o.outageSeconds} s; ${o.messages} events arriving`);
    let next = 0;
    let acknowledged = 0;
    const sendAll = async () => {
      for (let i = next++; i < o.messages; i = next++) {
        const who = staff[i % staff.length];
        if ((await postLarkEvent(port, larkMessageEvent({ openId: who, text: '我是谁', chatId: `oc_p2p_${who}` }), KEY)) === 200) acknowledged++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, sendAll));
    const replies = () => db('outbox').where('source', 'like', 'lark-event:%');
    while (Date.now() - downAt < o.outageSeconds * 1000) {
      await sleep(Math.min(30_000, o.outageSeconds * 1000 - (Date.now() - downAt)));
      const [{ n: retrying }] = await replies().clone().whereNotNull('failing_since').andWhere('status', 'pending').count({ n: '*' });
      const [{ n: failed }] = await replies().clone().where('status', 'failed').count({ n: '*' });
      log(`  ${Math.round((Date.now() - downAt) / 1000)} s: ${retrying} waiting for a retry, ${failed} failed, ${gate.refused} calls refused`);
    }
    gate.down = false;
    const upAt = Date.now();
    const during = server.lines.filter((l) => l.at >= downAt && l.at < upAt);
    const outageLines = during.length;
    const kinds = new Map<string, number>();
    for (const l of during) kinds.set(msgOf(l.text).slice(0, 90), (kinds.get(msgOf(l.text).slice(0, 90)) ?? 0) + 1);
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 8)) log(`  log ×${n}: ${k}`);
    log(`Lark back after ${((upAt - downAt) / 1000).toFixed(0)} s`);
    let unsent = Infinity;
    while (unsent > 0 && Date.now() - upAt < 15 * 60_000) {
      await sleep(500);
      const [{ n }] = await replies().clone().whereIn('status', ['pending', 'sending']).count({ n: '*' });
      unsent = Number(n);
    }
    const drainSeconds = (Date.now() - upAt) / 1000;
    const rows: Array<{ uuid: string; status: string; source: string }> = await replies().clone().select('uuid', 'status', 'source');
    const byUuid = new Map<string, number>();
    for (const m of fake.messages) if (m.uuid) byUuid.set(m.uuid, (byUuid.get(m.uuid) ?? 0) + 1);
    const sources = new Map<string, number>();
    for (const r of rows) sources.set(r.source, (sources.get(r.source) ?? 0) + 1);
    return {
      outageSeconds: o.outageSeconds,
      events: o.messages,
      acknowledged,
      queued: rows.length,
      delivered: rows.filter((r) => r.status === 'sent' && byUuid.get(r.uuid) === 1).length,
      failed: rows.filter((r) => r.status === 'failed').length,
      // A message Lark stored twice (two rows for one event, or one row stored twice).
      duplicated: [...sources.values()].reduce((a, n) => a + n - 1, 0) + rows.reduce((a, r) => a + Math.max(0, (byUuid.get(r.uuid) ?? 0) - 1), 0),
      lost: acknowledged - sources.size + rows.filter((r) => !byUuid.has(r.uuid)).length,
      refusedDuringOutage: gate.refused,
      drainSeconds,
      logLinesDuringOutage: outageLines,
    };
  } finally {
    if (server) await stopServer(server);
    await db.destroy();
    await gate.close();
    await fake.close();
    await dbx.drop();
  }
}

// ------------------------------------------------------------------ 2. the database away

export interface DbOutageResult {
  outageSeconds: number;
  idleCpuPercent: number;
  outageCpuPercent: number;
  logLines: string[];
  /** Seconds from the database's return to a message sent through the server. */
  recoveredSeconds: number | null;
}

export async function runDbOutage(o: { outageSeconds: number; log?: (s: string) => void }): Promise<DbOutageResult> {
  const log = o.log ?? console.log;
  const dbx = await freshDatabase(`xinfang_bench_outage_db_${process.pid}`);
  const db = await openDatabase(dbx.url);
  const fake = await startFakeLark();
  const base = new URL(BASE_URL);
  const proxy = await new DbProxy(base.hostname, Number(base.port || 3306)).start();
  const port = await freePort();
  let server: Server | null = null;
  try {
    const [who] = await seedStaff(db, 1);
    // Jobs on, as in production: every loop the server has is running.
    server = startServer(serverEnv({ dbUrl: dbx.via(proxy.port), port, larkUrl: fake.url, fake, jobs: true }));
    await waitForLine(server, '信访助手已启动');
    await sleep(3000); // the start-up checks
    const pid = server.child.pid!;
    const idleFrom = cpuSeconds(pid);
    const idleSeconds = Math.min(10, o.outageSeconds);
    await sleep(idleSeconds * 1000);
    const idleCpu = cpuSeconds(pid) - idleFrom;

    log(`the database away (proxy cut) for ${o.outageSeconds} s`);
    const cutAt = Date.now();
    const cpu0 = cpuSeconds(pid);
    await proxy.cut();
    await sleep(o.outageSeconds * 1000);
    const outageCpu = cpuSeconds(pid) - cpu0;
    await proxy.start();
    const upAt = Date.now();
    log(`the database back after ${((upAt - cutAt) / 1000).toFixed(0)} s`);

    // After it: an event is recorded, answered, and the answer reaches Lark.
    let recoveredSeconds: number | null = null;
    const before = fake.messages.length;
    while (Date.now() - upAt < 60_000 && recoveredSeconds === null) {
      if (fake.messages.length > before) recoveredSeconds = (Date.now() - upAt) / 1000;
      else if ((await postLarkEvent(port, larkMessageEvent({ openId: who, text: '我是谁', chatId: `oc_p2p_${who}` }), KEY)) !== 200) await sleep(500);
      else await sleep(1000);
    }
    await sleep(Math.max(1000, upAt + 15_000 - Date.now()));
    return {
      outageSeconds: o.outageSeconds,
      idleCpuPercent: (idleCpu / idleSeconds) * 100,
      outageCpuPercent: (outageCpu / o.outageSeconds) * 100,
      logLines: server.lines.filter((l) => l.at >= cutAt && l.at <= upAt + 15_000).map((l) => l.text),
      recoveredSeconds,
    };
  } finally {
    if (server) await stopServer(server);
    await proxy.close();
    await db.destroy();
    await fake.close();
    await dbx.drop();
  }
}

// ------------------------------------------------------------------ the run

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The log line's message only (pino JSON), for the printout. */
function msgOf(line: string): string {
  try {
    const j = JSON.parse(line);
    return `${j.level >= 50 ? 'ERROR' : j.level >= 40 ? 'WARN ' : 'INFO '} ${String(j.msg).slice(0, 140)}`;
  } catch {
    return line.slice(0, 150);
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = arg('--only');
  const larkSeconds = Number(arg('--lark-seconds') ?? (quick ? 60 : 300));
  const dbSeconds = Number(arg('--db-seconds') ?? 30);
  const messages = Number(arg('--messages') ?? 300);
  let ok = true;
  if (only !== 'db') {
    const r = await runLarkOutage({ outageSeconds: larkSeconds, messages });
    const met = r.delivered === r.acknowledged && r.failed === 0 && r.duplicated === 0 && r.lost === 0;
    ok &&= met;
    console.log(`\nLark outage of ${r.outageSeconds} s: ${r.acknowledged} of ${r.events} events acknowledged, ${r.queued} replies queued`);
    console.log(`  delivered ${r.delivered}, failed ${r.failed}, duplicated ${r.duplicated}, lost ${r.lost}; drained ${r.drainSeconds.toFixed(1)} s after Lark came back`);
    console.log(`  ${r.refusedDuringOutage} calls refused during the outage; ${r.logLinesDuringOutage} server log lines meanwhile`);
    console.log(`  target every message delivered once: ${met ? 'met' : 'MISSED'}`);
  }
  if (only !== 'lark') {
    const r = await runDbOutage({ outageSeconds: dbSeconds });
    const met = r.outageCpuPercent <= 5 && r.logLines.length <= 20 && r.recoveredSeconds !== null;
    ok &&= met;
    console.log(`\ndatabase outage of ${r.outageSeconds} s: server CPU ${r.outageCpuPercent.toFixed(2)} % of a core (idle before it: ${r.idleCpuPercent.toFixed(2)} %)`);
    console.log(`  ${r.logLines.length} log lines from the cut to 15 s after the return:`);
    for (const l of r.logLines.slice(0, 25)) console.log(`    ${msgOf(l)}`);
    console.log(`  a message through the server ${r.recoveredSeconds === null ? 'NOT sent within 60 s' : `sent ${r.recoveredSeconds.toFixed(1)} s after the return`}`);
    console.log(`  target ≤ 5 % CPU, ≤ 20 lines: ${met ? 'met' : 'MISSED'}`);
  }
  process.exit(ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(2);
  });
}
