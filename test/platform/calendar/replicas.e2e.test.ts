import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ICAL from 'ical.js';
import { chineseDaysData } from '../../../src/platform/calendar/domain';
import { xinfang } from '../../helpers/cli';
import { freshDb, testDialects } from '../../helpers/db';
import { seedRoster, T0 } from '../../feeds/fixtures';

/**
 * Two servers (`npm start`'s src/main.ts, through tsx) on one database; the CLI, another process,
 * imports a year's holidays; both servers take it up within CALENDAR_REFRESH_SECONDS, no restart.
 */

const ROOT = path.resolve(__dirname, '../../..');
const REFRESH_SECONDS = 1;
/** The first year the packaged data does not know: its sessions are tentative until imported. */
const YEAR = Math.max(...chineseDaysData().years) + 1;
const UID = `sess-${YEAR}-0001@xinfang-bot`;

interface Server {
  port: number;
  proc: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined> | T | null | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await Promise.resolve(check()).catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startServer(url: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'Asia/Shanghai',
    DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', CONFIG_DIR: 'config', LOG_LEVEL: 'info',
    JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'true', CALENDAR_REFRESH_SECONDS: String(REFRESH_SECONDS),
    FEED_RATE_LIMIT_PER_MIN: '6000', FEED_RATE_LIMIT_BURST: '1000',
  };
  const proc = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  proc.stderr!.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const server = { port, proc, log: () => out, exited };
  await waitFor(`server on ${port} to answer (log: ${out.slice(-500)})`, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 20_000);
  return server;
}

async function stopServer(s: Server): Promise<void> {
  if (s.proc.exitCode !== null) return;
  s.proc.kill('SIGTERM');
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), 10_000);
  await s.exited;
  clearTimeout(timer);
}

/** The STATUS of our session in the server's public feed (TENTATIVE while its year has no holiday data). */
async function sessionStatus(s: Server): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${s.port}/ical/public.ics`);
  if (!res.ok) throw new Error(`feed answered ${res.status}`);
  const comp = new ICAL.Component(ICAL.parse(await res.text()));
  const v = comp.getAllSubcomponents('vevent').find((e) => String(e.getFirstPropertyValue('uid')) === UID);
  return String(v?.getFirstPropertyValue('status') ?? 'missing');
}

/** A Wednesday in March of the year: a working day whatever its holidays. */
function aWednesdayInMarch(year: number): string {
  const d = new Date(Date.UTC(year, 2, 10));
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe.each(testDialects())('two servers on one $name database', (dialect) => {
  test(`both use the holidays the CLI imports within ${REFRESH_SECONDS} s of the import, without a restart`, async () => {
    const { db, url } = await freshDb(dialect);
    try {
      await seedRoster(db);
      const [id] = await db('sessions').insert({
        uid: UID, date: aWednesdayInMarch(YEAR), slot: '上午', start_time: '09:00', end_time: '12:00', type: '接访',
        venue_id: 'county-center', accompany_units: '[]', status: 'planned', sequence: 0, plan_year: YEAR, created_at: T0, updated_at: T0,
      });
      await db('session_leaders').insert({ session_id: Number(id), leader_id: 'ld-chen' });
    } finally {
      await db.destroy();
    }

    const servers: Server[] = [];
    try {
      servers.push(...(await Promise.all([startServer(url), startServer(url)])));
      for (const s of servers) expect(await sessionStatus(s)).toBe('TENTATIVE');

      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hol-replicas-'));
      const file = path.join(dir, `holidays-${YEAR}.json`);
      fs.writeFileSync(file, JSON.stringify({ years: [YEAR], holidays: [{ date: `${YEAR}-01-01`, name: '元旦' }] }));
      // --force: the first unknown year may be more than two years ahead of the machine's clock.
      const cli = await xinfang(['holidays', 'import', file, '--force'], { DATABASE_URL: url });
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(0);
      const imported = Date.now();

      const seconds = await Promise.all(servers.map(async (s) => {
        await waitFor('the new calendar', async () => (await sessionStatus(s)) === 'CONFIRMED', 15_000);
        return (Date.now() - imported) / 1000;
      }));
      // Within the interval, and the slack of a busy machine.
      for (const t of seconds) expect(t).toBeLessThan(REFRESH_SECONDS + 4);
      for (const s of servers) {
        expect(s.log()).toContain('节假日数据已更新，已重新载入法定日历');
        expect(s.proc.exitCode).toBeNull();
      }
    } finally {
      await Promise.all(servers.map(stopServer));
    }
  }, 60_000);
});
