/**
 * The write side of a big reminder run on MySQL: 20,000 deadlines due at once (BENCH_DUE) among
 * 10,000,000 cases (bench/province-data.ts, kept between runs; BENCH_REBUILD=1 makes it anew).
 * One scan records every reminder key, queues every outbox row, escalates the overdue ones and
 * flags the 督办函 cases. Baselines in the same run: the same scan with a tenth of the deadlines
 * due (the time must grow no faster than the work), and the bare multi-row INSERT of the very
 * outbox rows the scan queued, as knex writes them (SQL text, 500 rows a statement: what the database
 * costs for them alone without the prepared statements the outbox store uses for full chunks).
 *
 *   npx tsx bench/reminder-run.ts   (BENCH_MYSQL_SERVER, default mysql://root@127.0.0.1:3306; BENCH_DUE, default 20000;
 *                                    BENCH_CASES 1000000 runs it on the 1,000,000-case database instead)
 *
 * Target: ≤ 3 s for the run with 20,000 due.
 */
import type { Core } from '../src/platform/core/feature';
import { ReminderService } from '../src/reminders/reminder-service';
import { median, NOW, openProvince, placeDue, PROVINCE_1M_URL, PROVINCE_URL, resetRun, restoreDue, timed } from './reminder-bench-setup';

const DUE = Number(process.env.BENCH_DUE ?? 20_000);
const CASES = Number(process.env.BENCH_CASES ?? 10_000_000);
const RUNS = 3;

async function run(core: Core, due: number): Promise<{ ms: number; times: number[]; messages: number; recorded: number; flagged: number; read: number }> {
  await placeDue(core, due);
  const svc = new ReminderService(core);
  await resetRun(core);
  await svc.scan(NOW); // warm-up, not counted
  const times: number[] = [];
  let last = null;
  for (let i = 0; i < RUNS; i++) {
    await resetRun(core);
    const [ms, r] = await timed(() => svc.scan(NOW));
    times.push(ms);
    last = r;
  }
  return { ms: median(times), times, messages: last!.messages, recorded: last!.recorded, flagged: last!.flagged, read: last!.read };
}

/** The outbox rows the last scan queued, inserted again bare: 500 a statement, one transaction. */
async function bareInsert(core: Core): Promise<number> {
  const rows = await core.db('outbox').orderBy('id').select('*');
  for (const r of rows) delete r.id;
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await core.db.raw('TRUNCATE TABLE outbox');
    const [ms] = await timed(() =>
      core.db.transaction(async (trx) => {
        for (let j = 0; j < rows.length; j += 500) await trx('outbox').insert(rows.slice(j, j + 500));
      }),
    );
    times.push(ms);
  }
  return median(times);
}

async function main(): Promise<void> {
  const p = await openProvince(CASES >= 10_000_000 ? PROVINCE_URL : PROVINCE_1M_URL, CASES);
  try {
    const small = await run(p.core, DUE / 10);
    console.log(`${p.label}, ${DUE / 10} due: ${small.ms.toFixed(0)} ms (${small.times.map((t) => t.toFixed(0)).join(', ')}); ${small.recorded} reminders, ${small.messages} messages, ${small.flagged} flagged`);
    const big = await run(p.core, DUE);
    console.log(`${p.label}, ${DUE} due: ${big.ms.toFixed(0)} ms (${big.times.map((t) => t.toFixed(0)).join(', ')}); ${big.recorded} reminders, ${big.messages} messages, ${big.flagged} flagged`);
    const bare = await bareInsert(p.core);
    console.log(`bare INSERT of the same ${big.messages} outbox rows: ${bare.toFixed(0)} ms`);
    console.log(
      `\nratio ${DUE} / ${DUE / 10} due: ${(big.ms / small.ms).toFixed(2)} for ${(big.messages / small.messages).toFixed(2)} times the messages; ` +
        `run / bare outbox INSERT ${(big.ms / bare).toFixed(2)}`,
    );
    console.log(`target ≤ 3000 ms with ${DUE} due: ${big.ms <= 3000 ? 'met' : 'MISSED'} (${big.ms.toFixed(0)} ms)`);
  } finally {
    await resetRun(p.core);
    await restoreDue(p.core);
    await p.core.db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
