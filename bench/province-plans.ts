/**
 * 100 counties' reception plans (issue 18): each county 70 leaders (17 county, 53 town leaders over
 * 12 towns and 县直) and its venues, its year planned by the real plan generator
 * (src/roster/domain generatePlan, config/roster-rules.json): about 3,150 sessions a county a year,
 * 315,000 a year for 100 counties, 7,000 leaders.
 *
 * Ids carry the county (`c007-L0012`, `c007-zz-3`, `c007-county-center`; session ids
 * county × 100,000 + n), so a county is loaded once: `ensureProvincePlans` adds the counties (and
 * years) a database lacks and leaves the others. Sessions before `heldBefore` are recorded as held
 * (批次/人次), one in 50 cancelled, as a year in the middle of its course looks.
 *
 * Used by bench/province-stats-feeds.ts; not a benchmark of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { chineseDaysData, HolidayCalendar } from '../src/platform/calendar/domain';
import { toDbTime } from '../src/platform/database/time';
import { generatePlan, parseRosterRules, type PlanSession, type RosterLeader, type RosterVenue } from '../src/roster/domain';
import { syntheticCounty } from '../src/demo/demo-county';

export interface ProvincePlanOptions {
  /** Counties 1..counties are present afterwards. */
  counties: number;
  /** The plan years of every county. */
  years: number[];
  /** Sessions dated before this day are held (with an outcome) or, one in 50, cancelled. */
  heldBefore: string;
  leadersPerCounty?: number;
}

export interface ProvincePlanStats {
  countiesAdded: number;
  sessionsAdded: number;
  ms: number;
}

const ROOT = path.resolve(__dirname, '..');
const TOWNS = (JSON.parse(fs.readFileSync(path.join(ROOT, 'config/reference.json'), 'utf8')) as { towns: string[] }).towns.slice(0, 12);
const RULES = parseRosterRules(JSON.parse(fs.readFileSync(path.join(ROOT, 'config/roster-rules.json'), 'utf8')));
/** Session ids per county: a year's plan is ~3,200, so 100,000 leaves room for 30 years. */
const IDS_PER_COUNTY = 100_000;
const IDS_PER_YEAR = 3_500;

export const countyPrefix = (c: number) => `c${String(c).padStart(3, '0')}`;
/** A county's name: 第7县 (every person and place here is invented). */
export const countyName = (c: number) => `第${c}县`;

/** County c's leaders and venues: the demo's synthetic county, its ids and town names made the county's own. */
export function provinceCounty(c: number, leadersPerCounty = 70): { leaders: RosterLeader[]; venues: RosterVenue[] } {
  const p = countyPrefix(c);
  const towns = [...TOWNS.map((t) => `${countyName(c)}${t}`), '县直'];
  const { leaders, venues } = syntheticCounty(leadersPerCounty, towns);
  return {
    leaders: leaders.map((l) => ({ ...l, id: `${p}-${l.id}`, name: `${countyName(c)}${l.name}`, sortOrder: c * 1000 + l.sortOrder })),
    venues: venues.map((v) => ({ ...v, id: `${p}-${v.id}`, name: v.kind === 'center' ? `${countyName(c)}群众来访接待中心` : v.name })),
  };
}

/** The counties (and years) the database does not hold yet, added; one transaction per county. */
export async function ensureProvincePlans(db: Knex, opts: ProvincePlanOptions): Promise<ProvincePlanStats> {
  const t0 = performance.now();
  const calendar = new HolidayCalendar(chineseDaysData());
  let countiesAdded = 0;
  let sessionsAdded = 0;
  for (let c = 1; c <= opts.counties; c++) {
    const county = provinceCounty(c, opts.leadersPerCounty);
    const present = await db('sessions').whereBetween('id', [c * IDS_PER_COUNTY, (c + 1) * IDS_PER_COUNTY - 1]).distinct('plan_year');
    const have = new Set(present.map((r: any) => Number(r.plan_year)));
    const years = opts.years.filter((y) => !have.has(y));
    if (!years.length) continue;
    await db.transaction(async (trx) => {
      if (!have.size) await insertCounty(trx, county);
      for (const year of years) {
        const plan = generatePlan({ year, rules: RULES, leaders: county.leaders, venues: county.venues, calendar, allowProvisional: true });
        sessionsAdded += await insertPlan(trx, c, year, plan.sessions, opts.heldBefore);
      }
    });
    countiesAdded++;
  }
  return { countiesAdded, sessionsAdded, ms: performance.now() - t0 };
}

async function insertCounty(trx: Knex.Transaction, county: { leaders: RosterLeader[]; venues: RosterVenue[] }): Promise<void> {
  await trx.batchInsert('leaders', county.leaders.map((l) => ({
    id: l.id, name: l.name, level: l.level, title: l.title, towns: JSON.stringify(l.towns), deputy_id: null, sort_order: l.sortOrder, active: true,
  })), 500).transacting(trx);
  await trx.batchInsert('venues', county.venues.map((v) => ({ id: v.id, name: v.name, kind: v.kind, town: v.town, address: v.address })), 500).transacting(trx);
}

async function insertPlan(trx: Knex.Transaction, c: number, year: number, sessions: PlanSession[], heldBefore: string): Promise<number> {
  const base = c * IDS_PER_COUNTY + (year % 25) * IDS_PER_YEAR;
  if (sessions.length > IDS_PER_YEAR) throw new Error(`a county's plan has ${sessions.length} sessions, more than ${IDS_PER_YEAR}`);
  const made = toDbTime(new Date(`${year - 1}-12-01T02:00:00Z`));
  const rows = sessions.map((s, k) => {
    const past = s.date < heldBefore;
    const status = k % 50 === 7 ? 'cancelled' : past ? 'held' : 'planned';
    return {
      id: base + k,
      uid: `plan-${year}-${countyPrefix(c)}-${k}@xinfang-bench`,
      date: s.date, slot: s.slot, start_time: s.startTime, end_time: s.endTime, type: s.type, venue_id: s.venueId,
      accompany_units: s.accompanyUnits.length ? JSON.stringify(s.accompanyUnits) : null,
      focus: s.focus, capacity: s.capacity, status, sequence: status === 'planned' ? 0 : 1,
      outcome: status === 'held' ? JSON.stringify({ batches: k % 4, persons: k % 7, cases: [] }) : null,
      plan_year: year, rule_id: s.ruleId, note: s.note,
      created_at: made, updated_at: status === 'planned' ? made : toDbTime(new Date(`${s.date}T10:00:00Z`)),
    };
  });
  await trx.batchInsert('sessions', rows, 1000).transacting(trx);
  const links = sessions.flatMap((s, k) => s.leaderIds.map((l) => ({ session_id: base + k, leader_id: l, substitute_for: l === s.leaderIds[0] ? s.substituteFor : null })));
  await trx.batchInsert('session_leaders', links, 1000).transacting(trx);
  return rows.length;
}
