/**
 * Plan generation speed: a year's 接访下访 plan for 30, 100 and 300 leaders over 13 towns, with
 * the default rules (config/roster-rules.json, 县直 counted as a town here). Target: ≤ 2 s for
 * 300 leaders, and time growing no faster than the number of leaders (the 30-leader run, measured
 * in the same process, is the baseline).
 *
 *   npx tsx bench/roster-plan.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { chineseDaysData, HolidayCalendar } from '../src/platform/calendar/domain';
import { findDoubleBookings, generatePlan, parseRosterRules } from '../src/roster/domain';
import { syntheticCounty } from '../src/demo/demo-county';

const root = path.resolve(__dirname, '..');
const ref = JSON.parse(fs.readFileSync(path.join(root, 'config/reference.json'), 'utf8')) as { towns: string[] };
const towns = ref.towns.slice(0, 13);
const rules = parseRosterRules({ ...JSON.parse(fs.readFileSync(path.join(root, 'config/roster-rules.json'), 'utf8')), excludeTowns: [] });
const calendar = new HolidayCalendar(chineseDaysData());
const YEAR = 2026;
const RUNS = 5;

function run(n: number) {
  const { leaders, venues } = syntheticCounty(n, towns);
  // A few absences, as in life: every 10th leader away two weeks, with the next one as deputy.
  const unavailability = leaders.filter((_, i) => i % 10 === 3).map((l, i) => ({
    leaderId: l.id, from: `${YEAR}-${String(1 + (i % 12)).padStart(2, '0')}-05`, to: `${YEAR}-${String(1 + (i % 12)).padStart(2, '0')}-18`,
    deputyId: leaders[(leaders.indexOf(l) + 1) % leaders.length].id, reason: '培训',
  }));
  const input = { year: YEAR, rules, leaders, venues, unavailability, calendar };
  generatePlan(input); // warm-up
  const times: number[] = [];
  let result = generatePlan(input);
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = generatePlan(input);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    n,
    ms: times[Math.floor(times.length / 2)],
    worst: times[times.length - 1],
    sessions: result.sessions.length,
    issues: result.issues.filter((i) => i.kind === 'unplaced').length,
    spread: Math.max(...result.fairness.map((f) => f.spread)),
    doubleBooked: findDoubleBookings(result.sessions).length,
  };
}

const rows = [30, 100, 300].map(run);
console.log(`接访下访计划生成（${YEAR} 年，${towns.length} 个乡镇，${rules.rules.length} 条规则，每档 ${RUNS} 次取中位数）`);
console.log('leaders  median ms  worst ms  sessions  µs/session  unplaced  max-min  double-booked');
for (const r of rows) {
  console.log(
    `${String(r.n).padStart(7)}  ${r.ms.toFixed(1).padStart(9)}  ${r.worst.toFixed(1).padStart(8)}  ${String(r.sessions).padStart(8)}  ` +
      `${((r.ms * 1000) / r.sessions).toFixed(1).padStart(10)}  ${String(r.issues).padStart(8)}  ${String(r.spread).padStart(7)}  ${String(r.doubleBooked).padStart(13)}`,
  );
}
const [base, , big] = rows;
const timeGrowth = big.ms / base.ms;
const leaderGrowth = big.n / base.n;
const perSessionRatio = big.ms / big.sessions / (base.ms / base.sessions);
console.log(`growth 30 -> 300 leaders: time ×${timeGrowth.toFixed(2)} for leaders ×${leaderGrowth} and sessions ×${(big.sessions / base.sessions).toFixed(2)}`);
console.log(`ratio against the 30-leader baseline, per session: ${perSessionRatio.toFixed(2)} (≤ 1.5 reads as linear or better)`);
const okTime = big.ms <= 2000;
const okGrowth = timeGrowth <= leaderGrowth * 1.5;
console.log(`target ≤ 2000 ms for 300 leaders: ${okTime ? 'met' : 'MISSED'} (${big.ms.toFixed(1)} ms); no worse than linear: ${okGrowth ? 'met' : 'MISSED'}`);
if (!okTime || !okGrowth || rows.some((r) => r.doubleBooked)) process.exitCode = 1;
