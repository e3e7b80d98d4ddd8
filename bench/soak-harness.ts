/**
 * What bench/soak.ts and bench/e2e-reply.ts share: a fresh MariaDB database with registered staff
 * and cases, the server built as `npm start` runs it (tsc into a private directory, so a build of
 * dist/ by another benchmark is not disturbed; `--tsx`: the sources through tsx's loader), started
 * as its own process (any XINFANG_ROLE) against the fake Lark, its memory read every so often
 * (RSS from /proc, the V8 heap from its own /metrics), and an open-loop load of signed, encrypted
 * im.message.receive_v1 events at a fixed rate, each event's POST time kept so the fake Lark's
 * reply (reply_to = the event's message) can be timed against it.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { UserStore } from '../src/platform/directory/user-store';
import { FakeLarkServer, larkMessageEvent, larkRequest } from '../test/helpers/fake-lark-server';
import { caseWithDeadline } from '../test/reminders/fixtures';
import { dropBenchDatabase } from './bench-db';
import { startFlags } from './start-flags';

export const ROOT = path.resolve(__dirname, '..');
export const ENCRYPT_KEY = 'soak-encrypt-key';
export const VERIFY_TOKEN = 'verify-token';
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
export const mb = (bytes: number) => bytes / 1024 / 1024;

export const userId = (i: number) => `ou_soak_${String(i).padStart(4, '0')}`;
export const caseNo = (i: number) => `2026-${String(800000 + i).padStart(6, '0')}`;

/** Drops and recreates a benchmark database (its name must start with xinfang_bench_), migrated, with staff and cases. */
export async function freshDatabase(url: string, o: { users: number; cases: number }): Promise<void> {
  await dropBenchDatabase(url);
  const db = await openDatabase(url);
  try {
    await migrateLatest(db);
    const users = new UserStore(db);
    for (let i = 0; i < o.users; i++) await users.upsert({ id: userId(i), name: `测试员${String(i).padStart(4, '0')}`, role: 'staff', unit: null, town: null, title: null });
    for (let i = 0; i < o.cases; i++) await caseWithDeadline(db, { caseNo: caseNo(i), receivedDate: '2026-01-05' }, 'conclusion', '2026-12-30');
  } finally {
    await db.destroy();
  }
}

/** The command to start the server: the build in its own directory (node <dir>/src/main.js), or the sources through tsx. */
export interface ServerCommand {
  args: string[];
  env: Record<string, string>;
  what: string;
}

/**
 * Builds the server as `npm start` does (tsc -p tsconfig.build.json), into its own directory
 * under the OS temp dir; the packages are found through NODE_PATH (this checkout's node_modules).
 */
export function serverCommand(useTsx: boolean): ServerCommand {
  if (useTsx) {
    const loader = pathToFileURL(require.resolve('tsx')).href;
    return { args: [...startFlags(), '--import', loader, path.join(ROOT, 'src/main.ts')], env: {}, what: 'src/main.ts through tsx (with the flags of npm start)' };
  }
  // One directory for every run (tsc's incremental build info makes a second build quick).
  const out = path.join(os.tmpdir(), 'xinfang-bench-build');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out, '--tsBuildInfoFile', path.join(out, '.tsbuildinfo')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const flags = startFlags();
  return {
    args: [...flags, path.join(out, 'src/main.js')],
    env: { NODE_PATH: path.join(ROOT, 'node_modules') },
    what: `node ${[...flags, `${path.relative(os.tmpdir(), out)}/src/main.js`].join(' ')} (tsc -p tsconfig.build.json; the flags of npm start)`,
  };
}

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  /** The working directory (heap snapshots land here). */
  cwd: string;
  output: () => string;
  exited: Promise<void>;
  stop: () => Promise<void>;
}

export interface ServerOptions {
  name: string;
  cmd: ServerCommand;
  port: number;
  dbUrl: string;
  fake: FakeLarkServer;
  /** Extra node flags (e.g. --max-old-space-size=…, --heapsnapshot-signal=SIGUSR2), after those of npm start (so they win). */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

/** The server in webhook mode against the fake Lark; resolves once it says it has started. */
export async function startServer(o: ServerOptions): Promise<Server> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `xinfang-${o.name}-`));
  const env = {
    PATH: process.env.PATH ?? '',
    TZ: 'Asia/Shanghai',
    CONFIG_DIR: path.join(ROOT, 'config'),
    DATABASE_URL: o.dbUrl,
    PORT: String(o.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    CONSOLE_ENABLED: 'false',
    LARK_APP_ID: o.fake.appId,
    LARK_APP_SECRET: o.fake.appSecret,
    LARK_MODE: 'webhook',
    LARK_ENCRYPT_KEY: ENCRYPT_KEY,
    LARK_VERIFICATION_TOKEN: VERIFY_TOKEN,
    LARK_DOMAIN: o.fake.url,
    LARK_BOT_OPEN_ID: o.fake.botOpenId,
    ...o.cmd.env,
    ...o.env,
  };
  const child = spawn(process.execPath, [...o.cmd.args.slice(0, -1), ...(o.nodeArgs ?? []), o.cmd.args[o.cmd.args.length - 1]], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // All of it in the working directory too (e.g. --trace-gc lines), for a look after the run.
  const file = fs.createWriteStream(path.join(cwd, 'output.log'));
  const keep = (d: Buffer) => {
    file.write(d);
    out += String(d);
    if (out.length > 400_000) out = out.slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('close', () => file.end(() => r())));
  const until = Date.now() + 60_000;
  while (!out.includes('信访助手已启动')) {
    if (Date.now() > until || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`${o.name}: the server did not start:\n${out.slice(-4000)}`);
    }
    await sleep(50);
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    let t: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (t = setTimeout(r, 30_000)))]);
    clearTimeout(t);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { name: o.name, child, port: o.port, cwd, output: () => out, exited, stop };
}

// ------------------------------------------------------------------ memory

export interface MemorySample {
  /** Seconds since the sampler started. */
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

function gauge(metrics: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(metrics);
  return m ? Number(m[1]) : NaN;
}

/** GET a path of a server on 127.0.0.1; the body, or '' when it did not answer. */
export function httpGet(port: number, p: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.on('timeout', () => req.destroy());
  });
}

/** One reading: RSS from /proc (as the OS counts it), the V8 heap and external memory from the server's /metrics. */
export async function readMemory(s: Server, t0: number): Promise<MemorySample> {
  const status = fs.readFileSync(`/proc/${s.child.pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  const m = await httpGet(s.port, '/metrics');
  return {
    t: (Date.now() - t0) / 1000,
    rss,
    heapUsed: gauge(m, 'xinfang_nodejs_heap_size_used_bytes'),
    heapTotal: gauge(m, 'xinfang_nodejs_heap_size_total_bytes'),
    external: gauge(m, 'xinfang_nodejs_external_memory_bytes'),
  };
}

/** Least-squares slope of y over t (per minute), e.g. MB per minute. */
export function slopePerMinute(points: Array<{ t: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den ? (num / den) * 60 : NaN;
}

// ------------------------------------------------------------------ load

export interface SentEvent {
  messageId: string;
  /** The event's header.event_id (the server records it as inbound_events.event_key 'evt:<id>'). */
  eventId: string;
  chatId: string;
  text: string;
  postedAt: number;
  status: number;
  ackMs: number;
}

export interface LoadOptions {
  port: number;
  fake: FakeLarkServer;
  rate: number;
  seconds: number;
  users: number;
  cases: number;
  /** Group chats the people write in (@mentioning the bot; each answer is a reply under the message). */
  chats: number;
  /** Called after every second of load. */
  onSecond?: (second: number) => void;
}

/** The mix of what people ask: cheap and database-reading commands, text and card answers. */
function textFor(i: number, cases: number): string {
  switch (i % 4) {
    case 0:
      return '我是谁';
    case 1:
      return '帮助';
    case 2:
      return `查询 ${caseNo((i * 7) % cases)}`;
    default:
      return '我的待办';
  }
}

/** Sends `rate` events a second for `seconds` s on schedule (open loop: a slow answer does not slow the load). */
export async function runLoad(o: LoadOptions): Promise<SentEvent[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const sent: SentEvent[] = [];
  const pending: Promise<void>[] = [];
  const total = Math.round(o.rate * o.seconds);
  const t0 = Date.now();
  let second = 0;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / o.rate;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    const s = Math.floor((Date.now() - t0) / 1000);
    // (Not `o.onSecond?.(++second)`: without a callback the increment would be skipped too.)
    while (second < s) {
      second++;
      o.onSecond?.(second);
    }
    const u = i % o.users;
    const chatId = `oc_soak_group_${u % o.chats}`;
    const payload = larkMessageEvent({ openId: userId(u), chatId, chatType: 'group', mentionBot: o.fake.botOpenId, text: textFor(i, o.cases), token: VERIFY_TOKEN });
    const messageId: string = payload.event.message.message_id;
    o.fake.seedMessage(messageId, chatId);
    const e: SentEvent = { messageId, eventId: payload.header.event_id, chatId, text: textFor(i, o.cases), postedAt: Date.now(), status: 0, ackMs: 0 };
    sent.push(e);
    pending.push(post(agent, o.port, payload).then((status) => {
      e.status = status;
      e.ackMs = Date.now() - e.postedAt;
    }));
    if (pending.length > 2000) await Promise.all(pending.splice(0, 1000));
  }
  await Promise.all(pending);
  agent.destroy();
  return sent;
}

function post(agent: http.Agent, port: number, payload: Record<string, unknown>): Promise<number> {
  const { body, headers } = larkRequest(payload, { encryptKey: ENCRYPT_KEY });
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/lark/events', method: 'POST', headers, agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

/** The first reply the fake Lark accepted under each message, by message id: when it was accepted (ms). */
export function firstReplies(fake: FakeLarkServer): Map<string, number> {
  const first = new Map<string, number>();
  for (const m of fake.messages) {
    if (m.kind !== 'reply' || !m.reply_to) continue;
    const had = first.get(m.reply_to);
    if (had === undefined || m.at < had) first.set(m.reply_to, m.at);
  }
  return first;
}

/** The q-quantile (0..1) of sorted numbers. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
