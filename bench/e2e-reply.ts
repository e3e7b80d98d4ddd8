/**
 * End-to-end reply time: for each event, from its POST /lark/events to the fake Lark accepting
 * the reply's send (the reply under the event's message). One web process (XINFANG_ROLE=web:
 * records and acknowledges) and one worker process (XINFANG_ROLE=worker: polls, processes, sends),
 * as `npm start` runs them (built by tsc), on MariaDB, against the fake Lark; E2E_RATE events a
 * second (the soak's mix: 我是谁, 帮助, 查询 <编号>, 我的待办 from E2E_USERS staff in as many
 * groups) for E2E_SECONDS. The baseline is the same load on the all-in-one server (XINFANG_ROLE
 * unset), on a fresh database, in the same run.
 *
 *   npx tsx bench/e2e-reply.ts           (50 events/s for 60 s each; BENCH_MYSQL_URL, default
 *                                         mysql://root@127.0.0.1:3306/xinfang_bench_e2e)
 *   npx tsx bench/e2e-reply.ts --quick   (20 s each)
 *   npx tsx bench/e2e-reply.ts --tsx     (the sources through tsx instead of the build)
 *   npx tsx bench/e2e-reply.ts --lark-budget  (the sender and the fake keep Lark's app budget,
 *                                         50/s and 1,000/min: 50 answers a second then wait for the budget)
 *
 * By default the app budget (OUTBOX_APP_RATE, OUTBOX_APP_RATE_PER_MINUTE, and the fake's) is
 * raised above the load: at Lark's 1,000/min (16.7/s) 50 answers a second cannot all be sent
 * within the minute whatever the code does, and at 50/s the sender's even spacing (one send every
 * 20 ms) leaves no room at all. The per-chat budget (5/s) stays as Lark's.
 *
 * An event without an answer by the end counts as missing (printed; the quantiles are over those
 * answered). Target: p99 ≤ 200 ms with the web and worker roles.
 */
import { startFakeLark } from '../test/helpers/fake-lark-server';
import { freePort } from '../test/helpers/server-process';
import { firstReplies, freshDatabase, loadAverage, quantile, runLoad, Server, serverCommand, ServerCommand, sleep, startServer } from './soak-harness';

const QUICK = process.argv.includes('--quick');
const LARK_BUDGET = process.argv.includes('--lark-budget');
const RATE = Number(process.env.E2E_RATE ?? 50);
const SECONDS = Number(process.env.E2E_SECONDS ?? (QUICK ? 20 : 60));
const USERS = Number(process.env.E2E_USERS ?? 300);
const CASES = 200;
const DB_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_e2e';
const TARGET_P99_MS = 200;

interface Figures {
  name: string;
  events: number;
  acked: number;
  answered: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  ackP99: number;
  load: string;
}

async function measure(name: string, cmd: ServerCommand, roles: Array<Record<string, string>>): Promise<Figures> {
  await freshDatabase(DB_URL, { users: USERS, cases: CASES });
  const fake = await startFakeLark(LARK_BUDGET ? {} : { appRate: 0, appPerMinute: 0 });
  const budget: Record<string, string> = LARK_BUDGET ? {} : { OUTBOX_APP_RATE: String(RATE * 4), OUTBOX_APP_RATE_PER_MINUTE: String(RATE * 4 * 60) };
  const servers: Server[] = [];
  try {
    // The first process listed takes the webhook.
    for (const [i, env] of roles.entries()) {
      servers.push(await startServer({ name: `e2e-${env.XINFANG_ROLE ?? 'all'}-${i}`, cmd, port: await freePort(), dbUrl: DB_URL, fake, env: { ...budget, ...env } }));
    }
    console.log(`  ${name}: ${servers.map((s) => `${s.name} on port ${s.port}`).join(', ')} started; warming up`);
    // Warm-up (JIT, pools, the token), not counted.
    await runLoad({ port: servers[0].port, fake, rate: RATE, seconds: 3, users: USERS, cases: CASES, chats: USERS });
    await sleep(3000);
    const sent = await runLoad({ port: servers[0].port, fake, rate: RATE, seconds: SECONDS, users: USERS, cases: CASES, chats: USERS });
    console.log(`  ${name}: load done; waiting for the last answers`);
    const until = Date.now() + 60_000;
    const answeredCount = () => sent.filter((e) => firstReplies(fake).has(e.messageId)).length;
    while (answeredCount() < sent.length && Date.now() < until) await sleep(500);
    const replies = firstReplies(fake);
    const times = sent.filter((e) => replies.has(e.messageId)).map((e) => replies.get(e.messageId)! - e.postedAt).sort((a, b) => a - b);
    const acks = sent.filter((e) => e.status === 200).map((e) => e.ackMs).sort((a, b) => a - b);
    return {
      name, events: sent.length, acked: acks.length, answered: times.length,
      p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99), max: times[times.length - 1] ?? NaN,
      ackP99: quantile(acks, 0.99), load: loadAverage(),
    };
  } finally {
    for (const s of servers) await s.stop();
    await fake.close();
  }
}

function line(f: Figures): string {
  return `${f.name.padEnd(28)} events ${f.events}, acknowledged ${f.acked}, answered ${f.answered}${f.answered < f.events ? ` (${f.events - f.answered} MISSING)` : ''}; ` +
    `reply p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms, max ${f.max} ms; ack p99 ${f.ackP99} ms   (load average ${f.load})`;
}

async function main(): Promise<void> {
  console.log(`load average before: ${loadAverage()}`);
  console.log(`end-to-end reply: ${RATE} events/s for ${SECONDS} s; ${USERS} staff, each in a group with the bot; ${LARK_BUDGET ? "Lark's app budget (50/s, 1,000/min)" : 'app budget raised above the load'}`);
  const cmd = serverCommand(process.argv.includes('--tsx'));
  console.log(`server: ${cmd.what}`);
  const roles = await measure('web + worker (XINFANG_ROLE)', cmd, [{ XINFANG_ROLE: 'web' }, { XINFANG_ROLE: 'worker' }]);
  console.log(line(roles));
  const all = await measure('all-in-one (baseline)', cmd, [{}]);
  console.log(line(all));
  console.log('');
  console.log(`p99 web+worker / all-in-one: ${(roles.p99 / all.p99).toFixed(2)}`);
  const ok = roles.answered === roles.events && roles.p99 <= TARGET_P99_MS;
  console.log(`target p99 ≤ ${TARGET_P99_MS} ms with every event answered (web + worker): ${ok ? 'met' : 'NOT met'}`);
  console.log(`load average after: ${loadAverage()}`);
  if (!ok) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
