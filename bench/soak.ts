/**
 * Soak: the server's memory under a steady load. The real server (as `npm start` runs it, built
 * by tsc; webhook mode, MariaDB, the fake Lark) gets SOAK_RATE signed, encrypted events a second
 * (a mix of 我是谁, 帮助, 查询 <编号>, 我的待办 from SOAK_USERS staff in SOAK_CHATS groups) for
 * SOAK_SECONDS; its RSS (/proc) and V8 heap (its /metrics) are read every 10 s. The baseline is
 * the same server, on a database of its own, started at the same moment and left idle over the
 * same time. Printed: start, peak and end of each, and the slope over the last half.
 *
 *   npx tsx bench/soak.ts            (10 minutes at 100 events/s; BENCH_MYSQL_URL, default
 *                                     mysql://root@127.0.0.1:3306/xinfang_bench_soak, and …_idle beside it)
 *   npx tsx bench/soak.ts --quick    (2 minutes)
 *   npx tsx bench/soak.ts --tsx      (the sources through tsx instead of the build)
 *   SOAK_NODE_ARGS='--max-old-space-size=96' npx tsx bench/soak.ts   (node flags for both servers)
 *   npx tsx bench/soak.ts --snapshots   (diagnostic: a heap snapshot of the loaded server after a
 *                                        quarter and at the end of the load, in its working directory)
 *   npx tsx bench/soak.ts --lark-budget (the sender and the fake keep Lark's app budget, 50/s and
 *                                        1,000/min: 100 answers a second cannot all go out, and the backlog
 *                                        waits in the outbox table)
 *
 * By default the sender's app budget (OUTBOX_APP_RATE, OUTBOX_APP_RATE_PER_MINUTE) and the fake's
 * are raised above the load, so the server reaches a steady state in which every answer is sent;
 * the per-chat budget (5/s) stays as Lark's.
 *
 * Target: RSS ≤ 250 MB at its peak, and flat: over the last half the RSS grows by at most
 * 1 MB a minute (least squares over the samples).
 */
import { freePort } from '../test/helpers/server-process';
import { startFakeLark } from '../test/helpers/fake-lark-server';
import { firstReplies, freshDatabase, loadAverage, mb, MemorySample, quantile, readMemory, runLoad, Server, serverCommand, sleep, slopePerMinute, startServer } from './soak-harness';

const QUICK = process.argv.includes('--quick');
const SNAPSHOTS = process.argv.includes('--snapshots');
const LARK_BUDGET = process.argv.includes('--lark-budget');
const RATE = Number(process.env.SOAK_RATE ?? 100);
const SECONDS = Number(process.env.SOAK_SECONDS ?? (QUICK ? 120 : 600));
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const USERS = Number(process.env.SOAK_USERS ?? 300);
const CHATS = Number(process.env.SOAK_CHATS ?? 300);
const CASES = 200;
const DB_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_soak';
const IDLE_URL = DB_URL.replace(/(\/[^/?]+)(\?|$)/, '$1_idle$2');
const NODE_ARGS = (process.env.SOAK_NODE_ARGS ?? '').split(' ').filter(Boolean);
const RSS_TARGET_MB = 250;
const SLOPE_TARGET = 1;

function summary(name: string, s: MemorySample[]): { line: string; peak: number; slope: number } {
  const half = s.filter((x) => x.t >= s[s.length - 1].t / 2);
  const peak = Math.max(...s.map((x) => x.rss));
  const slope = slopePerMinute(half.map((x) => ({ t: x.t, y: mb(x.rss) })));
  const heapSlope = slopePerMinute(half.map((x) => ({ t: x.t, y: mb(x.heapUsed) })));
  const [a, z] = [s[0], s[s.length - 1]];
  const line =
    `${name.padEnd(7)} RSS start ${mb(a.rss).toFixed(0)} MB, peak ${mb(peak).toFixed(0)} MB, end ${mb(z.rss).toFixed(0)} MB, last half ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/min; ` +
    `heap used start ${mb(a.heapUsed).toFixed(0)}, peak ${mb(Math.max(...s.map((x) => x.heapUsed))).toFixed(0)}, end ${mb(z.heapUsed).toFixed(0)} MB (of ${mb(z.heapTotal).toFixed(0)}), last half ${heapSlope >= 0 ? '+' : ''}${heapSlope.toFixed(2)} MB/min; external end ${mb(z.external).toFixed(0)} MB`;
  return { line, peak: mb(peak), slope };
}

async function main(): Promise<void> {
  console.log(`load average before: ${loadAverage()}`);
  console.log(`soak: ${RATE} events/s for ${SECONDS} s, memory every ${SAMPLE_SECONDS} s; ${USERS} staff in ${CHATS} groups; ${LARK_BUDGET ? "Lark's app budget (50/s, 1,000/min)" : 'app budget raised above the load'}${NODE_ARGS.length ? `; node ${NODE_ARGS.join(' ')}` : ''}`);
  await freshDatabase(DB_URL, { users: USERS, cases: CASES });
  await freshDatabase(IDLE_URL, { users: USERS, cases: CASES });
  const cmd = serverCommand(process.argv.includes('--tsx'));
  console.log(`server: ${cmd.what}`);
  const fake = await startFakeLark(LARK_BUDGET ? {} : { appRate: 0, appPerMinute: 0 });
  const budget: Record<string, string> = LARK_BUDGET ? {} : { OUTBOX_APP_RATE: String(RATE * 3), OUTBOX_APP_RATE_PER_MINUTE: String(RATE * 3 * 60) };
  const nodeArgs = [...NODE_ARGS, ...(SNAPSHOTS ? ['--heapsnapshot-signal=SIGUSR2'] : [])];
  let loaded: Server | null = null;
  let idle: Server | null = null;
  try {
    [loaded, idle] = await Promise.all([
      startServer({ name: 'soak', cmd, port: await freePort(), dbUrl: DB_URL, fake, nodeArgs, env: budget }),
      startServer({ name: 'soak-idle', cmd, port: await freePort(), dbUrl: IDLE_URL, fake, nodeArgs, env: budget }),
    ]);
    const t0 = Date.now();
    const samples: { soak: MemorySample[]; idle: MemorySample[] } = { soak: [], idle: [] };
    const sample = async () => {
      const [a, b] = await Promise.all([readMemory(loaded!, t0), readMemory(idle!, t0)]);
      samples.soak.push(a);
      samples.idle.push(b);
      console.log(`  ${a.t.toFixed(0).padStart(4)} s  loaded RSS ${mb(a.rss).toFixed(0)} MB heap ${mb(a.heapUsed).toFixed(0)}/${mb(a.heapTotal).toFixed(0)} MB · idle RSS ${mb(b.rss).toFixed(0)} MB heap ${mb(b.heapUsed).toFixed(0)}/${mb(b.heapTotal).toFixed(0)} MB · outbox sent ${fake.messages.length} · load ${loadAverage()}`);
    };
    await sample();
    const snapshotAt = new Set(SNAPSHOTS ? [Math.round(SECONDS / 4)] : []);
    const sent = await runLoad({
      port: loaded.port, fake, rate: RATE, seconds: SECONDS, users: USERS, cases: CASES, chats: CHATS,
      onSecond: (s) => {
        if (s % SAMPLE_SECONDS === 0) void sample();
        if (snapshotAt.has(s)) loaded!.child.kill('SIGUSR2');
      },
    });
    await sample();
    if (SNAPSHOTS) {
      loaded.child.kill('SIGUSR2');
      await sleep(15_000);
      console.log(`heap snapshots in ${loaded.cwd}`);
    }
    // The answers still on their way (a few seconds at most in the steady state).
    const until = Date.now() + 30_000;
    while (firstReplies(fake).size < sent.length && Date.now() < until) await sleep(500);
    const acked = sent.filter((e) => e.status === 200).length;
    const replied = firstReplies(fake);
    const answered = sent.filter((e) => replied.has(e.messageId)).length;
    const s = summary('loaded', samples.soak);
    const b = summary('idle', samples.idle);
    console.log('');
    console.log(`events ${sent.length}, acknowledged ${acked}, answered ${answered} (${fake.messages.length} messages at the fake, ${fake.refusals.length} refused)`);
    const acks = sent.filter((e) => e.status === 200).map((e) => e.ackMs).sort((x, y) => x - y);
    console.log(`acknowledgement (loaded): p50 ${quantile(acks, 0.5)} ms, p99 ${quantile(acks, 0.99)} ms, max ${acks[acks.length - 1]} ms`);
    console.log(s.line);
    console.log(b.line);
    console.log(`loaded/idle RSS at the end: ${(samples.soak[samples.soak.length - 1].rss / samples.idle[samples.idle.length - 1].rss).toFixed(2)}`);
    const ok = s.peak <= RSS_TARGET_MB && s.slope <= SLOPE_TARGET;
    console.log(`target RSS ≤ ${RSS_TARGET_MB} MB and last half ≤ +${SLOPE_TARGET} MB/min: ${ok ? 'met' : 'NOT met'}`);
    console.log(`servers' output: ${loaded.cwd}/output.log, ${idle.cwd}/output.log`);
    console.log(`load average after: ${loadAverage()}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await Promise.all([loaded?.stop(), idle?.stop()]);
    await fake.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
