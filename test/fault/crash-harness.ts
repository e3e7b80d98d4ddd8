import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { UserStore } from '../../src/platform/directory/user-store';
import { FakeLarkServer, larkMessageEvent, startFakeLark } from '../helpers/fake-lark-server';
import { freePort, postLarkEvent, ServerProcess, startServerProcess, waitForServerText } from '../helpers/server-process';
import { caseWithDeadline } from '../reminders/fixtures';

/**
 * Crash replay: the real server (`src/main.ts` through tsx, webhook mode, against the fake Lark)
 * gets a burst of writing requests (提醒函 <编号> 再次, one letter each) from many people about
 * many cases, is killed with SIGKILL several times while it works, is started again, and gets
 * every event delivered again, as Lark does when it heard no answer. Then it counts: the letters
 * logged on the cases (effects), the messages the fake Lark received (replies), duplicates and
 * losses of either, and inbound rows left claimed. Used by test/fault/crash-replay.test.ts and
 * bench/chaos.ts.
 */

export interface CrashReplayOptions {
  /** DATABASE_URL of a database that does not exist yet (MySQL) or an unused SQLite path. */
  dbUrl: string;
  events: number;
  /** SIGKILLs, each in a round of its own while the server works. */
  kills: number;
  users?: number;
  cases?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** The server's inbound and outbox lease (s): how soon a restarted server takes over. */
  leaseSeconds?: number;
  /** A kill comes this long after the round's first letter is logged, at random in [min, max] ms. */
  killDelayMs?: [number, number];
  /** How long the last round may take to finish everything. */
  settleMs?: number;
  log?: (line: string) => void;
}

export interface CrashReplayResult {
  events: number;
  kills: number;
  /** Letters logged on the cases (case_events 'letter'). */
  effects: number;
  /** Letters logged beyond one per event, summed over the cases. */
  duplicateEffects: number;
  /** Events whose letter is missing, summed over the cases. */
  lostEffects: number;
  /** Text replies the fake Lark received (one per event expected), and files sent. */
  replies: number;
  files: number;
  /** Events answered more than once / never. */
  duplicateReplies: number;
  lostReplies: number;
  /** Letters logged whose number no reply carries (logged, never sent), and the reverse. */
  loggedNotSent: number;
  sentNotLogged: number;
  /** Inbound rows not done, and rows still claimed, at the end. */
  notDone: number;
  claimed: number;
  /** Outbox rows that ended failed. */
  failedMessages: number;
  seconds: number;
  /** The last server's output, for a failure's message. */
  output: string;
}

const KEY = 'crash-replay-encrypt-key';
const LETTER_NO = /信访提〔\d{4}〕\d+号/;

interface Planned {
  eventId: string;
  messageId: string;
  openId: string;
  chatId: string;
  caseNo: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));



/** Delivers the events, `concurrency` at a time; `onAck` after each 200. Stops early when `stop()` says so. */
async function deliver(port: number, events: Planned[], concurrency: number, botOpenId: string, stop: () => boolean, onAck: () => void): Promise<number> {
  let next = 0;
  let acked = 0;
  const worker = async () => {
    while (next < events.length && !stop()) {
      const e = events[next++];
      const payload = larkMessageEvent({
        eventId: e.eventId, messageId: e.messageId, openId: e.openId, chatId: e.chatId, chatType: 'group', mentionBot: botOpenId, text: `提醒函 ${e.caseNo} 再次`,
      });
      if ((await postLarkEvent(port, payload, KEY)) === 200) {
        acked++;
        onAck();
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

async function seed(dbUrl: string, users: number, cases: number): Promise<{ userIds: string[]; caseNos: string[] }> {
  const db = await openDatabase(dbUrl);
  try {
    await migrateLatest(db);
    const userIds = Array.from({ length: users }, (_, i) => `ou_crash_${String(i).padStart(4, '0')}`);
    const store = new UserStore(db);
    for (const id of userIds) await store.upsert({ id, name: `测试员${id.slice(-4)}`, role: 'staff', unit: null, town: null, title: null });
    const caseNos = Array.from({ length: cases }, (_, i) => `2026-${String(900000 + i).padStart(6, '0')}`);
    for (const caseNo of caseNos) await caseWithDeadline(db, { caseNo, receivedDate: '2026-01-05' }, 'conclusion', '2026-12-30');
    return { userIds, caseNos };
  } finally {
    await db.destroy();
  }
}

function plan(n: number, userIds: string[], caseNos: string[]): Planned[] {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  return Array.from({ length: n }, (_, i) => ({
    eventId: `ev_crash_${run}_${i}`,
    messageId: `om_crash_${run}_${i}`,
    openId: userIds[i % userIds.length],
    // A few group chats; each answer is a reply under its own message.
    chatId: `oc_crash_group_${i % 7}`,
    caseNo: caseNos[(i * 7) % caseNos.length],
  }));
}

async function lettersLogged(db: Knex): Promise<number> {
  const [{ n }] = await db('case_events').where('action', 'letter').count({ n: '*' });
  return Number(n);
}

async function progress(db: Knex): Promise<{ done: number; unsent: number }> {
  const [{ n: done }] = await db('inbound_events').where('status', 'done').count({ n: '*' });
  const [{ n: unsent }] = await db('outbox').whereIn('status', ['pending', 'sending']).count({ n: '*' });
  return { done: Number(done), unsent: Number(unsent) };
}

/** Runs the crash replay (see the top of this file). */
export async function runCrashReplay(o: CrashReplayOptions): Promise<CrashReplayResult> {
  const started = Date.now();
  const log = o.log ?? (() => undefined);
  const fake = await startFakeLark();
  const { userIds, caseNos } = await seed(o.dbUrl, o.users ?? 12, o.cases ?? 30);
  const events = plan(o.events, userIds, caseNos);
  // The people's messages, which the answers are replies to, as Lark knows them.
  for (const e of events) fake.seedMessage(e.messageId, e.chatId);
  const port = await freePort();
  const lease = String(o.leaseSeconds ?? 2);
  const env = {
    DATABASE_URL: o.dbUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'false',
    LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: 'verify-token',
    LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId, OUTBOX_LEASE_SECONDS: lease,
  };
  const db = await openDatabase(o.dbUrl);
  const concurrency = o.concurrency ?? 16;
  const [minDelay, maxDelay] = o.killDelayMs ?? [0, 250];
  let server: ServerProcess | null = null;
  let kills = 0;
  try {
    for (let round = 0; round <= o.kills; round++) {
      const last = round === o.kills;
      // Each round delivers every event of the rounds before it again, and a new share.
      const upTo = last ? events.length : Math.ceil((events.length * (round + 1)) / (o.kills + 1));
      server = startServerProcess(env, 'xinfang-crash-');
      await waitForServerText(server, '信访助手已启动');
      if (!last) {
        const s = server;
        let killed = false;
        let firstAck = 0;
        const before = await lettersLogged(db);
        const jitter = minDelay + Math.random() * (maxDelay - minDelay);
        // The kill comes while handlers are at work: once a letter of this round is logged, after a jitter.
        const killer = (async () => {
          while (!firstAck) await sleep(5);
          while ((await lettersLogged(db)) <= before && Date.now() - firstAck < 3000) await sleep(10);
          await sleep(jitter);
          s.child.kill('SIGKILL');
          killed = true;
        })();
        const acked = await deliver(port, events.slice(0, upTo), concurrency, fake.botOpenId, () => killed, () => (firstAck ||= Date.now()));
        firstAck ||= Date.now();
        await killer;
        await s.exited;
        kills++;
        const p = await progress(db);
        log(`round ${round + 1}: ${acked} acknowledged of ${upTo} delivered, SIGKILL ${Math.round(jitter)} ms after a letter was logged; ${p.done} events done so far`);
        continue;
      }
      const acked = await deliver(port, events, concurrency, fake.botOpenId, () => false, () => undefined);
      const until = Date.now() + (o.settleMs ?? 40_000);
      let p = await progress(db);
      while ((p.done < events.length || p.unsent > 0) && Date.now() < until) {
        await sleep(200);
        p = await progress(db);
      }
      log(`last round: ${acked} acknowledged; ${p.done} of ${events.length} done, ${p.unsent} messages unsent`);
      await sleep(300); // the last sends' answers
    }
    return { ...(await count(db, fake, events)), kills, seconds: (Date.now() - started) / 1000, output: server?.output() ?? '' };
  } finally {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([server.exited, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    await db.destroy();
    await fake.close();
  }
}

async function count(db: Knex, fake: FakeLarkServer, events: Planned[]) {
  // Effects: the letters logged per case, against the events asking for one.
  const letters = await db('case_events').join('cases', 'cases.id', 'case_events.case_id').where('case_events.action', 'letter').select('cases.case_no', 'case_events.reason');
  const wanted = new Map<string, number>();
  for (const e of events) wanted.set(e.caseNo, (wanted.get(e.caseNo) ?? 0) + 1);
  const got = new Map<string, number>();
  for (const l of letters) got.set(l.case_no, (got.get(l.case_no) ?? 0) + 1);
  let duplicateEffects = 0;
  let lostEffects = 0;
  for (const [caseNo, n] of wanted) {
    const g = got.get(caseNo) ?? 0;
    duplicateEffects += Math.max(0, g - n);
    lostEffects += Math.max(0, n - g);
  }
  // Replies: each event's answers are replies under its message.
  const texts = fake.messages.filter((m) => m.msg_type === 'text');
  const perMessage = new Map<string, number>();
  for (const m of texts) if (m.reply_to) perMessage.set(m.reply_to, (perMessage.get(m.reply_to) ?? 0) + 1);
  let duplicateReplies = 0;
  let lostReplies = 0;
  for (const e of events) {
    const n = perMessage.get(e.messageId) ?? 0;
    duplicateReplies += Math.max(0, n - 1);
    if (n === 0) lostReplies++;
  }
  const logged = new Set(letters.map((l) => LETTER_NO.exec(String(l.reason))?.[0]).filter(Boolean));
  const sent = new Set(texts.map((m) => LETTER_NO.exec(fake.textOf(m))?.[0]).filter(Boolean));
  const [{ n: notDone }] = await db('inbound_events').whereNot('status', 'done').count({ n: '*' });
  const [{ n: claimed }] = await db('inbound_events').whereNotNull('claimed_by').count({ n: '*' });
  const [{ n: failedMessages }] = await db('outbox').where('status', 'failed').count({ n: '*' });
  return {
    events: events.length,
    effects: letters.length,
    duplicateEffects,
    lostEffects,
    replies: texts.length,
    files: fake.messages.filter((m) => m.msg_type === 'file').length,
    duplicateReplies,
    lostReplies,
    loggedNotSent: [...logged].filter((n) => !sent.has(n)).length,
    sentNotLogged: [...sent].filter((n) => !logged.has(n)).length,
    notDone: Number(notDone),
    claimed: Number(claimed),
    failedMessages: Number(failedMessages),
  };
}
