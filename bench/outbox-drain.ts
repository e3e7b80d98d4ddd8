/**
 * The sender draining a queued outbox on MySQL into the fake Lark server, which enforces Lark's
 * budgets (5 messages/s per chat with 230020, 50/s per app with 99991400, over any sliding
 * second, with x-ogw-ratelimit-reset). The messages go to 20 chats, interleaved, through the real
 * SDK (tenant token, im.v1.message.create with the row's uuid).
 *
 *   npx tsx bench/outbox-drain.ts           2,000 messages (quick, about 45 s)
 *   npx tsx bench/outbox-drain.ts --full    10,000 messages (about 3.5 min)
 *   (BENCH_MYSQL_URL, default mysql://root@127.0.0.1:3306/xinfang_bench_outbox; BENCH_MESSAGES, BENCH_CHATS)
 *
 * Baseline, in the same run: the cap itself (50/s). Targets: zero lost, zero duplicated, an
 * achieved rate of at least 90% of the cap.
 */
import os from 'node:os';
import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../src/platform/settings/config';
import { openDatabase } from '../src/platform/database/connection';
import { migrateLatest } from '../src/platform/database/migrate';
import { createLarkClient } from '../src/platform/lark/lark-client';
import { LarkTransport } from '../src/platform/lark/lark-transport';
import { enqueueMessages } from '../src/platform/outbox/outbox-store';
import { OutboxWorker } from '../src/platform/outbox/outbox-worker';
import { createLogger } from '../src/platform/logging/logger';
import { startFakeLark } from '../test/helpers/fake-lark-server';

const FULL = process.argv.includes('--full');
const N = Number(process.env.BENCH_MESSAGES ?? (FULL ? 10_000 : 2_000));
const CHATS = Number(process.env.BENCH_CHATS ?? 20);
const APP_RATE = 50;
const CHAT_RATE = 5;
const DB_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_outbox';

async function main(): Promise<void> {
  console.log(
    `outbox drain benchmark: ${N.toLocaleString('en')} messages to ${CHATS} chats${FULL ? '' : ' (quick; --full for 10,000)'}, ` +
      `fake Lark enforcing ${CHAT_RATE}/s per chat and ${APP_RATE}/s per app, on ${DB_URL.replace(/\/\/[^@]*@/, '//')}`,
  );
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  const u = new URL(DB_URL);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  await conn.query(`DROP DATABASE IF EXISTS \`${u.pathname.slice(1)}\``);
  await conn.end();
  const db = await openDatabase(DB_URL);
  await migrateLatest(db);

  const fake = await startFakeLark({ appRate: APP_RATE, chatRate: CHAT_RATE });
  const messages = Array.from({ length: N }, (_, i) => ({
    receiveId: `oc_bench_${String(i % CHATS).padStart(2, '0')}`,
    msgType: 'text' as const,
    content: { text: `提醒 #${i}：案件 2026-${String(i).padStart(6, '0')} 的受理期限将至` },
    source: `bench:${i}`,
  }));
  await enqueueMessages(db, messages);

  const config = loadConfig({ LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url, LOG_LEVEL: 'silent' });
  const worker = new OutboxWorker({
    db,
    transport: new LarkTransport(createLarkClient(config, createLogger('silent'))),
    logger: createLogger('warn'),
    chatRate: CHAT_RATE,
    appRate: APP_RATE,
    maxAttempts: 8,
    leaseMs: 60_000,
    pollMs: 500,
    cardMaxBytes: 30 * 1024,
  });

  const started = Date.now();
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    process.stdout.write(`\r  ${fake.messages.length.toLocaleString('en')} sent after ${s.toFixed(0)} s (${(fake.messages.length / s).toFixed(1)}/s)   `);
  }, 5000);
  await worker.runUntilIdle(N * 1000, { waitForScheduled: true });
  clearInterval(progress);
  process.stdout.write('\n');
  const elapsed = (Date.now() - started) / 1000;

  // Every queued row must be one message at the fake, and none twice.
  const stored = await db('outbox').select('id', 'uuid', 'status', 'lark_message_id', 'source');
  const byUuid = new Map<string, number>();
  const byText = new Map<string, number>();
  for (const m of fake.messages) {
    byUuid.set(m.uuid ?? '', (byUuid.get(m.uuid ?? '') ?? 0) + 1);
    byText.set(m.content, (byText.get(m.content) ?? 0) + 1);
  }
  const lost = stored.filter((r: any) => !byUuid.has(r.uuid)).length;
  const duplicated = [...byText.values()].filter((n) => n > 1).length + [...byUuid.values()].filter((n) => n > 1).length;
  const notSent = stored.filter((r: any) => r.status !== 'sent').length;
  const times = fake.messages.map((m) => m.at).sort((a, b) => a - b);
  const steady = times.length > 1 ? ((times.length - 1) / (times[times.length - 1] - times[0])) * 1000 : 0;
  const overall = N / elapsed;
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }

  console.log('');
  console.log(`messages queued ${N}, delivered ${fake.messages.length}, rows not sent ${notSent}`);
  console.log(`lost: ${lost}   duplicated: ${duplicated}   (uuid re-sends answered by Lark's idempotency: ${fake.dedupeHits})`);
  console.log(`rate-limit answers from the fake: app ${fake.rateLimited.app}, chat ${fake.rateLimited.chat}`);
  console.log(`achieved rate: ${steady.toFixed(1)} msg/s from first to last send (${overall.toFixed(1)} msg/s including start-up), peak ${peak} in any second`);
  console.log(`baseline (the app cap): ${APP_RATE} msg/s   ratio achieved/cap: ${(steady / APP_RATE).toFixed(3)}   (target ≥ 0.90: ${steady / APP_RATE >= 0.9 ? 'met' : 'NOT met'})`);
  console.log(`zero lost, zero duplicated: ${lost === 0 && duplicated === 0 && notSent === 0 ? 'met' : 'NOT met'}`);
  await fake.close();
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
