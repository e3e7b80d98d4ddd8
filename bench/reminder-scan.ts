/**
 * The daily reminder scan on MySQL at province scale: 1,000,000 cases, then 10,000,000 cases
 * (bench/province-data.ts; made once and kept, BENCH_REBUILD=1 makes them anew), with the same
 * number of deadlines due (BENCH_DUE, default 2,000). Prints the scan times, their ratio (it must
 * stay near 1: the scan reads only due rows), the digest's times beside them, the EXPLAIN of every
 * query of the scan at 10,000,000 and the rows they actually read.
 *
 *   npx tsx bench/reminder-scan.ts   (BENCH_MYSQL_SERVER, default mysql://root@127.0.0.1:3306;
 *                                     databases xinfang_bench_province and xinfang_bench_province_1m)
 *
 * Target: ≤ 500 ms per scan at 10,000,000 cases with 2,000 due; time(10M) / time(1M) ≤ 1.2.
 */
import { shanghaiDate } from '../src/platform/calendar/domain';
import { DUTY_DEADLINES, OPEN_STATUSES } from '../src/cases/domain/case-status';
import { scanHorizon } from '../src/reminders/domain/reminder-steps';
import { WorkingDays } from '../src/platform/calendar/domain/lenient-working-days';
import type { Core } from '../src/platform/core/feature';
import { ReminderService, reminderPolicy } from '../src/reminders/reminder-service';
import { DigestService } from '../src/reminders/digest-service';
import { gb, median, NOW, openProvince, placeDue, Province, PROVINCE_1M_URL, PROVINCE_URL, resetRun, restoreDue, timed } from './reminder-bench-setup';

const DUE = Number(process.env.BENCH_DUE ?? 2_000);
const RUNS = 5;

interface Figures {
  scan: number;
  read: number;
  digest: number;
  messages: number;
}

async function measure(p: Province): Promise<Figures> {
  const { core } = p;
  await placeDue(core, DUE);
  const svc = new ReminderService(core);
  // One scan first, not counted: the process's JIT and the database's buffer pool warm up.
  await resetRun(core);
  await svc.scan(NOW);
  const times: number[] = [];
  let last = null;
  for (let i = 0; i < RUNS; i++) {
    await resetRun(core);
    const [ms, r] = await timed(() => svc.scan(NOW));
    times.push(ms);
    last = r;
  }
  const days = new WorkingDays(core.calendar.calendar);
  const horizon = scanHorizon(shanghaiDate(NOW), days, reminderPolicy(core.config));
  const reads: number[] = [];
  for (let i = 0; i < RUNS; i++) reads.push((await timed(() => svc.dueDeadlines.list(horizon, DUTY_DEADLINES, OPEN_STATUSES)))[0]);
  // The digest after the scan (its 督办函 flags recorded), composed as the morning job does.
  const digestSvc = new DigestService(core);
  const digests: number[] = [];
  let digest = null;
  for (let i = 0; i < RUNS; i++) {
    const [ms, d] = await timed(() => digestSvc.compose(NOW));
    digests.push(ms);
    digest = d;
  }
  const f = { scan: median(times), read: median(reads), digest: median(digests), messages: last!.messages };
  console.log(
    `${p.label}: scan ${f.scan.toFixed(0)} ms (median of ${RUNS}: ${times.map((t) => t.toFixed(0)).join(', ')} ms), of which the read ${f.read.toFixed(1)} ms; ` +
      `open rows read ${last!.read} (${last!.due} with a step due), reminders recorded ${last!.recorded}, messages queued ${last!.messages}, flagged for 督办函 ${last!.flagged}; ` +
      `digest ${f.digest.toFixed(0)} ms (${digests.map((t) => t.toFixed(0)).join(', ')}; overdue ${digest!.totals.overdue}, due today ${digest!.totals.dueToday}, soon ${digest!.totals.dueSoon})`,
  );
  return f;
}

/**
 * Every SELECT one scan issues (caught from knex's query events), EXPLAINed at 10,000,000 cases,
 * with the rows each really read. The writes are multi-row INSERTs (counted in the run's figures).
 */
async function explain(core: Core): Promise<void> {
  const selects = new Map<string, { sql: string; bindings: unknown[]; times: number }>();
  let statements = 0;
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    statements++;
    if (!/^\s*select/i.test(q.sql)) return;
    const seen = selects.get(q.sql);
    if (seen) seen.times++;
    else selects.set(q.sql, { sql: q.sql, bindings: q.bindings ?? [], times: 1 });
  };
  await resetRun(core);
  core.db.on('query', listener);
  try {
    await new ReminderService(core).scan(NOW);
  } finally {
    core.db.off('query', listener);
  }
  console.log(`\none scan at 10,000,000 cases: ${statements} statements in all, ${[...selects.values()].reduce((n, q) => n + q.times, 0)} of them SELECTs; each distinct SELECT:`);
  const out: Array<Record<string, unknown>> = [];
  for (const q of selects.values()) {
    const [plan] = await core.db.raw(`EXPLAIN ${q.sql}`, q.bindings as any);
    const [reads, returned] = await core.db.transaction(async (trx) => {
      await trx.raw('FLUSH STATUS');
      const [rows] = await trx.raw(q.sql, q.bindings as any);
      const [status] = await trx.raw("SHOW SESSION STATUS LIKE 'Handler_read%'");
      const get = (name: string) => Number(status.find((s: any) => s.Variable_name === name)?.Value ?? 0);
      return [get('Handler_read_key') + get('Handler_read_next') + get('Handler_read_prev') + get('Handler_read_rnd_next') + get('Handler_read_first'), rows.length];
    });
    for (const [i, r] of (plan as any[]).entries()) {
      out.push({
        query: i ? '' : `${q.sql.replace(/\s+/g, ' ').slice(0, 70)}…`, times: i ? '' : q.times, table: r.table, type: r.type, key: r.key,
        'est. rows': r.rows, returned: i ? '' : returned, 'rows read': i ? '' : reads,
      });
    }
  }
  console.table(out);
}

async function main(): Promise<void> {
  const small = await openProvince(PROVINCE_1M_URL, 1_000_000);
  let large: Province | null = null;
  try {
    console.log(`${small.label}: ${small.info.generated ? `generated in ${small.info.seconds.toFixed(0)} s` : 'reused'}, ${small.info.open.toLocaleString()} open deadlines, ${gb(small.info.bytes)}`);
    large = await openProvince(PROVINCE_URL, 10_000_000);
    console.log(`${large.label}: ${large.info.generated ? `generated in ${large.info.seconds.toFixed(0)} s` : 'reused'}, ${large.info.open.toLocaleString()} open deadlines, ${gb(large.info.bytes)}`);
    const a = await measure(small);
    const b = await measure(large);
    await explain(large.core);
    const ratio = b.scan / a.scan;
    console.log(
      `\nratio 10,000,000 / 1,000,000 cases: whole scan ${ratio.toFixed(2)}, read alone ${(b.read / a.read).toFixed(2)}, digest ${(b.digest / a.digest).toFixed(2)} (near 1: only due rows are read)`,
    );
    console.log(`target ≤ 500 ms at 10,000,000 cases: ${b.scan <= 500 ? 'met' : 'MISSED'} (${b.scan.toFixed(0)} ms); ratio ≤ 1.2: ${ratio <= 1.2 ? 'met' : 'MISSED'}`);
    if (a.messages !== b.messages) console.log(`WARNING: different work in the two runs (${a.messages} vs ${b.messages} messages)`);
  } finally {
    for (const p of [small, large]) {
      if (!p) continue;
      await resetRun(p.core);
      await restoreDue(p.core);
      await p.core.db.destroy();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
