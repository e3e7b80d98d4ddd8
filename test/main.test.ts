import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { freshDb, tempSqliteUrl, testDialects } from './helpers/db';
import { FakeLarkServer, larkMessageEvent, larkRequest, startFakeLark } from './helpers/fake-lark-server';

/** `npm start` as a child process (through tsx, from a folder without a .env), its output collected. */
interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const root = path.resolve(__dirname, '..');
// tsx's loader in the server's own process (not the tsx CLI, which relays signals through a parent of
// its own): the SIGTERM the test sends reaches main.ts's handler directly.
const tsxLoader = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs')).href;

function startServer(env: Record<string, string>): Server {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'xinfang-main-'));
  const child = spawn(process.execPath, ['--import', tsxLoader, path.join(root, 'src/main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Shanghai', LOG_LEVEL: 'info', CONFIG_DIR: path.join(root, 'config'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(s: Server, text: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!s.output().includes(text)) {
    if (Date.now() > until || s.child.exitCode !== null) throw new Error(`no “${text}” in:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stop(s: Server): Promise<void> {
  if (s.child.exitCode === null) s.child.kill('SIGTERM');
  await s.exited;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Whether something answers HTTP at host:port. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });
}

describe('npm start (src/main.ts)', () => {
  jest.setTimeout(150_000);

  test('a second server on a busy port exits with a Chinese message and a non-zero code, having started nothing', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: tempSqliteUrl(), PORT: String(port) };
    const first = startServer(env);
    try {
      await waitFor(first, '信访助手已启动');
      const second = startServer(env);
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([second.exited, new Promise<string>((r) => (timer = setTimeout(() => r('still running'), 60_000)))]);
      clearTimeout(timer);
      if (code === 'still running') await stop(second);
      expect(code).toBe(1);
      const out = second.output();
      expect(out).toContain(`端口 ${port} 已被占用`);
      for (const started of ['信访助手已启动', 'outbox sender started', 'jobs scheduled', 'job finished']) expect(out).not.toContain(started);
      // The first one is still serving.
      expect(await answers('127.0.0.1', port)).toBe(true);
    } finally {
      await stop(first);
    }
  });

  test('HOST is the address it listens on, and no other', async () => {
    const port = await freePort();
    const s = startServer({ DATABASE_URL: tempSqliteUrl(), PORT: String(port), HOST: '127.0.0.2', JOBS_ENABLED: 'false' });
    try {
      await waitFor(s, '信访助手已启动');
      expect(s.output()).toContain(`http://127.0.0.2:${port}/console`);
      expect(await answers('127.0.0.2', port)).toBe(true);
      expect(await answers('127.0.0.1', port)).toBe(false);
    } finally {
      await stop(s);
    }
  });
});

/** Posts one signed, encrypted event to the server's webhook; true when it was acknowledged (200). */
function postEvent(port: number, body: string, headers: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/lark/events', method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

const KEY = 'shutdown-encrypt-key';
const STAFF = Array.from({ length: 20 }, (_, i) => `ou_shutdown_${String(i).padStart(2, '0')}`);

describe.each(testDialects())('SIGTERM during a burst, on $name', (dialect) => {
  jest.setTimeout(180_000);
  let fake: FakeLarkServer;
  let db: Knex;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeLark();
    ({ db, url } = await freshDb(dialect));
    for (const id of STAFF) await db('users').insert({ id, name: `员工${id.slice(-2)}`, role: 'staff', created_at: '2026-03-02 01:00:00.000', updated_at: '2026-03-02 01:00:00.000' });
  });
  afterAll(async () => {
    await db.destroy();
    await fake.close();
  });

  const serverEnv = (port: number) => ({
    DATABASE_URL: url, PORT: String(port), JOBS_ENABLED: 'false', LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret,
    LARK_DOMAIN: fake.url, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: 'verify-token',
    LARK_BOT_OPEN_ID: fake.botOpenId, OUTBOX_LEASE_SECONDS: '60',
  });
  /** Rows left claimed once no server runs: inbound events being processed, outbox rows being sent. */
  const leftClaimed = async () => ({
    inbound: Number((await db('inbound_events').where('status', 'processing').count({ n: '*' }))[0].n),
    outbox: Number((await db('outbox').where('status', 'sending').count({ n: '*' }))[0].n),
  });

  test('no acknowledged event is lost, none is left claimed, and each gets one reply after a restart', async () => {
    const port = await freePort();
    const first = startServer(serverEnv(port));
    await waitFor(first, '信访助手已启动', 60_000);
    const events = Array.from({ length: 400 }, (_, i) => {
      const ev = larkMessageEvent({ openId: STAFF[i % STAFF.length], text: '我是谁', chatId: `oc_p2p_${STAFF[i % STAFF.length]}` });
      return { messageId: ev.event.message.message_id as string, key: `evt:${ev.header.event_id}`, ...larkRequest(ev, { encryptKey: KEY }) };
    });
    const acked: string[] = [];
    let next = 0;
    let termSent = false;
    const sender = async () => {
      for (let e = events[next++]; e; e = events[next++]) {
        if (await postEvent(port, e.body, e.headers)) acked.push(e.messageId);
        if (!termSent && acked.length >= 120) {
          termSent = true;
          first.child.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    const code = await first.exited;
    expect(code).toBe(0);
    expect(first.output()).toContain('stopped');
    expect(acked.length).toBeGreaterThanOrEqual(120);
    expect(await leftClaimed()).toEqual({ inbound: 0, outbox: 0 });

    const second = startServer(serverEnv(port));
    try {
      await waitFor(second, '信访助手已启动', 60_000);
      const keys = events.filter((e) => acked.includes(e.messageId)).map((e) => e.key);
      // Each acknowledged event done, with one reply queued by it and sent to Lark once.
      const replies = async () => {
        const rows = await db('inbound_events').whereIn('event_key', keys).select('id', 'status');
        const out = await db('outbox').whereIn('source', rows.map((r: any) => `lark-event:${r.id}`)).select('source', 'status', 'uuid');
        return { done: rows.filter((r: any) => r.status === 'done').length, out };
      };
      const until = Date.now() + 90_000;
      let r = await replies();
      while ((r.done < keys.length || r.out.filter((o: any) => o.status === 'sent').length < keys.length) && Date.now() < until) {
        await new Promise((res) => setTimeout(res, 250));
        r = await replies();
      }
      expect(r.done).toBe(keys.length);
      expect(r.out).toHaveLength(keys.length);
      expect(new Set(r.out.map((o: any) => o.source)).size).toBe(keys.length);
      expect(r.out.every((o: any) => o.status === 'sent')).toBe(true);
      const uuids = new Set(r.out.map((o: any) => o.uuid));
      expect(fake.messages.filter((m) => m.uuid && uuids.has(m.uuid))).toHaveLength(keys.length);
    } finally {
      await stop(second);
    }
    expect(await leftClaimed()).toEqual({ inbound: 0, outbox: 0 });
  });
});

