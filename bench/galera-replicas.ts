/**
 * Two replicas on two Galera nodes: two real server processes (src/main.ts through tsx, webhook
 * mode, the fake Lark with Lark's budgets: 50 sends/s and 1,000/min for the app, 5/s per chat),
 * one on node 1 and one on node 2 of the cluster, and every event POSTed to both of them at once
 * (as a load balancer retrying on the other replica would). Prints the events, the replies the
 * fake Lark accepted, the duplicates and the losses, and exits 1 if any reply came twice or none.
 *
 *   scripts/galera-cluster.sh start
 *   npx tsx bench/galera-replicas.ts            10,000 events (the 1,000/min budget: ≥ 10 min)
 *   npx tsx bench/galera-replicas.ts --quick    1,000 events (≥ 1 min)
 *
 * GALERA_BENCH_URLS: the two nodes' URLs (default mysql://root@127.0.0.1:3311/xinfang_bench_galera
 * and :3312), the database dropped and made afresh. GALERA_BENCH_EVENTS overrides the count.
 * Target (issue 18): 10,000 events delivered to both → 10,000 replies, 0 duplicates.
 */
import os from 'node:os';
import type { Knex } from 'knex';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { UserStore } from '../src/platform/directory/user-store';
import { FakeLarkServer, larkMessageEvent, startFakeLark } from '../test/helpers/fake-lark-server';
import { freePort, postLarkEvent, ServerProcess, startServerProcess, waitForServerText } from '../test/helpers/server-process';
import { dropBenchDatabase } from './bench-db';

const QUICK = process.argv.includes('--quick');
const EVENTS = Number(process.env.GALERA_BENCH_EVENTS ?? (QUICK ? 1000 : 10_000));
const URLS = (process.env.GALERA_BENCH_URLS ?? 'mysql://root@127.0.0.1:3311/xinfang_bench_galera,mysql://root@127.0.0.1:3312/xinfang_bench_galera').split(',');
const KEY = 'galera-bench-encrypt-key';
const USERS = 40;
const CHATS = 40;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');


async function stopServer(s: ServerProcess): Promise<void> {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill('SIGTERM');
  let t: NodeJS.Timeout | undefined;
  await Promise.race([s.exited, new Promise((r) => (t = setTimeout(r, 15_000)))]);
  clearTimeout(t);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
}

/** Drops the benchmark's database (through node 1), migrates it afresh and adds the staff who write. */
async function freshDatabase(url: string): Promise<string[]> {
  await dropBenchDatabase(url);
  const db = await openDatabase(url);
  try {
    await migrateLatest(db);
    const ids = Array.from({ length: USERS }, (_, i) => `ou_galera_${String(i).padStart(3, '0')}`);
    const users = new UserStore(db);
    for (const id of ids) await users.upsert({ id, name: `测试员${id.slice(-3)}`, role: 'staff', unit: null, town: null, title: null });
    return ids;
  } finally {
    await db.destroy();
  }
}

interface Planned { eventId: string; messageId: string; openId: string; chatId: string }

/** Every event to both servers at once, `concurrency` events at a time; counts the 200s per server. */
async function deliverToBoth(ports: number[], events: Planned[], botOpenId: string, concurrency = 16): Promise<number[]> {
  const acked = ports.map(() => 0);
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++];
      const payload = larkMessageEvent({ eventId: e.eventId, messageId: e.messageId, openId: e.openId, chatId: e.chatId, chatType: 'group', mentionBot: botOpenId, text: '我是谁' });
      const codes = await Promise.all(ports.map((p) => postLarkEvent(p, payload, KEY)));
      codes.forEach((c, i) => (acked[i] += c === 200 ? 1 : 0));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

async function progress(db: Knex): Promise<{ done: number; unsent: number }> {
  const [{ n: done }] = await db('inbound_events').where('status', 'done').count({ n: '*' });
  const [{ n: unsent }] = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' });
  return { done: Number(done), unsent: Number(unsent) };
}

function countReplies(fake: FakeLarkServer, events: Planned[]) {
  const perMessage = new Map<string, number>();
  for (const m of fake.messages) if (m.msg_type === 'text' && m.reply_to) perMessage.set(m.reply_to, (perMessage.get(m.reply_to) ?? 0) + 1);
  let replies = 0;
  let duplicates = 0;
  let lost = 0;
  for (const e of events) {
    const n = perMessage.get(e.messageId) ?? 0;
    replies += Math.min(n, 1);
    duplicates += Math.max(0, n - 1);
    if (n === 0) lost++;
  }
  return { replies, duplicates, lost };
}

async function main(): Promise<void> {
  console.log(`galera replicas: ${EVENTS} events, each POSTed to both of 2 servers (${URLS.map((u) => new URL(u).host).join(' and ')}); load ${load()}`);
  const userIds = await freshDatabase(URLS[0]);
  const fake = await startFakeLark();
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const events: Planned[] = Array.from({ length: EVENTS }, (_, i) => ({
    eventId: `ev_galera_${run}_${i}`, messageId: `om_galera_${run}_${i}`, openId: userIds[i % USERS], chatId: `oc_galera_group_${i % CHATS}`,
  }));
  for (const e of events) fake.seedMessage(e.messageId, e.chatId);
  const ports = [await freePort(), await freePort()];
  const servers = URLS.slice(0, 2).map((url, i) => startServerProcess({
    DATABASE_URL: url, PORT: String(ports[i]), HOST: '127.0.0.1', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'false',
    LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: 'verify-token',
    LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId,
  }));
  const db = await openDatabase(URLS[0]);
  try {
    await Promise.all(servers.map((s) => waitForServerText(s, '信访助手已启动', 60_000)));
    const t0 = Date.now();
    const acked = await deliverToBoth(ports, events, fake.botOpenId);
    const deliveredS = (Date.now() - t0) / 1000;
    console.log(`  delivered in ${deliveredS.toFixed(1)} s: ${acked[0]} and ${acked[1]} acknowledged; load ${load()}`);
    // Lark's 1,000 sends a minute: allow the replies their minutes, and two more.
    const until = Date.now() + (Math.ceil(EVENTS / 1000) + 2) * 60_000;
    let p = await progress(db);
    let lastLog = Date.now();
    while ((p.done < EVENTS || p.unsent > 0) && Date.now() < until) {
      await sleep(500);
      p = await progress(db);
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        console.log(`  ${Math.round((Date.now() - t0) / 1000)} s: ${p.done} events done, ${fake.messages.length} sends accepted, ${p.unsent} unsent; load ${load()}`);
      }
    }
    await sleep(500);
    const r = countReplies(fake, events);
    const [{ n: outboxRows }] = await db('outbox').count({ n: '*' });
    const [{ n: failed }] = await db('outbox').where('status', 'failed').count({ n: '*' });
    const seconds = (Date.now() - t0) / 1000;
    console.log('');
    console.log(`events        ${EVENTS} (each POSTed to both servers: ${acked[0] + acked[1]} of ${2 * EVENTS} acknowledged)`);
    console.log(`inbound       ${p.done} done`);
    console.log(`outbox        ${outboxRows} rows, ${p.unsent} unsent, ${failed} failed`);
    console.log(`replies       ${r.replies} events answered, accepted by the fake Lark`);
    console.log(`duplicates    ${r.duplicates}`);
    console.log(`lost          ${r.lost}`);
    console.log(`rate-limited  ${fake.rateLimited.app} sends refused for the app's budget, ${fake.rateLimited.chat} for a chat's (sent again later)`);
    console.log(`time          ${seconds.toFixed(1)} s from the first delivery (${(r.replies / (seconds / 60)).toFixed(0)} replies/min on average; Lark allows 1,000 in any minute)`);
    console.log(`load average  ${load()}`);
    const ok = r.duplicates === 0 && r.lost === 0 && r.replies === EVENTS;
    console.log(ok ? `OK: ${EVENTS} replies, 0 duplicates` : 'FAILED');
    if (!ok) {
      for (const s of servers) console.log(s.output().slice(-3000));
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(servers.map(stopServer));
    await db.destroy();
    await fake.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
