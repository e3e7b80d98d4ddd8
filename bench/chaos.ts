/**
 * Chaos, the kill part: the real server (src/main.ts through tsx, webhook mode, the fake Lark)
 * gets CHAOS_EVENTS writing requests (提醒函 <编号> 再次: a numbered letter logged on the case,
 * and its text and .docx sent) from many people about many cases, and is killed with SIGKILL
 * CHAOS_KILLS times while its handlers work (each kill soon after a letter of its round is
 * logged); each restart gets every event delivered again, as Lark re-delivers what it heard no
 * answer to. Then it prints events, kills, effects, replies, duplicates and losses (see
 * test/fault/crash-harness.ts) and exits 1 if anything was done twice or lost.
 *
 *   npx tsx bench/chaos.ts            (MySQL: CHAOS_MYSQL_URL, default mysql://root@127.0.0.1:3306/xinfang_bench_chaos,
 *                                      dropped and made afresh; CHAOS_EVENTS=1000, CHAOS_KILLS=10)
 *   npx tsx bench/chaos.ts --quick    (200 events, 3 kills)
 *   npx tsx bench/chaos.ts --sqlite   (a new SQLite file instead)
 *
 * `npm run chaos` runs this, then bench/chaos-outage.ts (the Lark and database outages).
 * Target: 1,000 events through 10 SIGKILLs → 0 duplicate effects, 0 lost, one answer per event.
 */
import { tempSqliteUrl } from '../test/helpers/db';
import { runCrashReplay } from '../test/fault/crash-harness';
import { dropBenchDatabase } from './bench-db';

const QUICK = process.argv.includes('--quick');
const SQLITE = process.argv.includes('--sqlite');
const EVENTS = Number(process.env.CHAOS_EVENTS ?? (QUICK ? 200 : 1000));
const KILLS = Number(process.env.CHAOS_KILLS ?? (QUICK ? 3 : 10));
const MYSQL_URL = process.env.CHAOS_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/xinfang_bench_chaos';

/** Drops the benchmark's MySQL database, so the run starts on an empty one. */
async function freshMysql(url: string): Promise<string> {
  await dropBenchDatabase(url);
  return url;
}

async function main(): Promise<void> {
  const dbUrl = SQLITE ? tempSqliteUrl() : await freshMysql(MYSQL_URL);
  console.log(`chaos (kill): ${EVENTS} events, ${KILLS} SIGKILLs, ${SQLITE ? 'SQLite' : 'MySQL'} (${dbUrl.replace(/\/\/[^@]*@/, '//')})`);
  const r = await runCrashReplay({
    dbUrl,
    events: EVENTS,
    kills: KILLS,
    users: 40,
    cases: 120,
    settleMs: 180_000,
    log: (line) => console.log(`  ${line}`),
  });
  const duplicates = r.duplicateEffects + r.duplicateReplies;
  // A letter logged but never sent is a duplicate's trace (its run's answer was never queued), counted there.
  const losses = r.lostEffects + r.lostReplies + r.sentNotLogged + r.notDone;
  console.log('');
  console.log(`events      ${r.events}`);
  console.log(`kills       ${r.kills}`);
  console.log(`effects     ${r.effects} letters logged (duplicates ${r.duplicateEffects}, lost ${r.lostEffects}; logged but never sent ${r.loggedNotSent})`);
  console.log(`replies     ${r.replies} answers and ${r.files} files received by the fake Lark (duplicates ${r.duplicateReplies}, lost ${r.lostReplies}; failed messages ${r.failedMessages})`);
  console.log(`inbound     ${r.notDone} events not done, ${r.claimed} rows still claimed`);
  console.log(`duplicates  ${duplicates}`);
  console.log(`losses      ${losses}`);
  console.log(`time        ${r.seconds.toFixed(1)} s`);
  const ok = duplicates === 0 && losses === 0 && r.loggedNotSent === 0 && r.claimed === 0 && r.failedMessages === 0 && r.kills === KILLS;
  console.log(ok ? 'OK: every event had its effect once and its answer once' : 'FAILED');
  if (!ok) {
    console.log(r.output.slice(-4000));
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
