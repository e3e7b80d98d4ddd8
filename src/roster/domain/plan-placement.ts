import type { Demand } from './plan-demands';
import type { Occupancy } from './plan-year';
import { PlanSetting, reportIssue, Tally } from './plan-setting';
import type { PlanSession, RosterLeader } from './types';

const W_VENUE = 1000;
/** A visit (several venues shared over a period) minds spacing more than a venue already in use. */
const W_VENUE_SPACED = 100;
const W_POSITION = 300;
const W_NEAR = 50;
const W_DAY = 2;

/**
 * Places demands on days, one at a time: each takes the day that keeps venues, leaders and the
 * year least crowded. A leader has at most one session a day, never on a day off, never while away.
 */
export class Placer {
  readonly sessions: PlanSession[] = [];

  constructor(private readonly setting: PlanSetting, private readonly occupancy: Occupancy, private readonly tally: Tally) {}

  /** A demand placed, by its owner (or a deputy while the owner is away) or by the pool's next leader; else reported. */
  placeDemand(d: Demand): void {
    if (d.satisfied) return;
    if (d.leader) this.placeOwed(d, d.leader);
    else this.placeRotating(d);
  }

  /**
   * The cheapest free day for the leader among `days`. A whole period rotates its preferred day
   * (pref) so leaders do not all start on Monday; a share of a longer period prefers its middle,
   * so that a leader's visits keep their distance across the year.
   */
  private best(leaderId: string, days: number[], venueId: string, pref: number, spaced: boolean): number {
    const b = this.occupancy.busyOf(leaderId);
    const aw = this.occupancy.awayOf(leaderId);
    const vl = this.occupancy.venueLoadOf(venueId);
    const dayLoad = this.occupancy.dayLoad;
    const nDays = this.setting.days.dates.length;
    const wVenue = spaced ? W_VENUE_SPACED : W_VENUE;
    let bestDay = -1;
    let bestCost = Infinity;
    const n = days.length;
    const mid = (n - 1) / 2;
    for (let j = 0; j < n; j++) {
      const i = days[j];
      if (b[i] || aw[i]) continue;
      let near = 0;
      if (i > 0 && b[i - 1]) near++;
      if (i > 1 && b[i - 2]) near++;
      if (i + 1 < nDays && b[i + 1]) near++;
      if (i + 2 < nDays && b[i + 2]) near++;
      const position = spaced ? (Math.abs(j - mid) / n) * W_POSITION : ((j - pref + n) % n) / n;
      const cost = vl[i] * wVenue + near * W_NEAR + dayLoad[i] * W_DAY + position;
      if (cost < bestCost) {
        bestCost = cost;
        bestDay = i;
      }
    }
    return bestDay;
  }

  /** The demand's preferred days first, then (for a share of a period) the whole period. */
  private tryPlace(leaderId: string, d: Demand): number {
    const spaced = d.window !== d.full;
    const pref = (d.leaderIndex * 5 + d.periodIndex * 2) % Math.max(d.window.length, 1);
    const day = this.best(leaderId, d.window, d.venue.id, pref, spaced);
    if (day >= 0 || !spaced) return day;
    return this.best(leaderId, d.full, d.venue.id, (d.leaderIndex * 5 + d.periodIndex * 2) % d.full.length, false);
  }

  private place(d: Demand, day: number, leader: RosterLeader, substituteFor: RosterLeader | null): void {
    const times = this.setting.rules.slots[d.rule.slot];
    this.occupancy.occupy([leader.id], d.venue.id, day);
    this.sessions.push({
      date: this.setting.days.dates[day],
      slot: d.rule.slot,
      startTime: times.start,
      endTime: times.end,
      type: d.rule.type,
      venueId: d.venue.id,
      leaderIds: [leader.id],
      accompanyUnits: d.rule.accompany
        .filter((a) => !a.includes('{town}') || d.venue.town)
        .map((a) => a.replaceAll('{town}', d.venue.town ?? '')),
      focus: d.rule.focus,
      capacity: d.rule.capacity,
      ruleId: d.rule.id,
      substituteFor: substituteFor?.id ?? null,
      note: substituteFor ? `${leader.name}代${substituteFor.name}接访（${substituteFor.name}当期不在岗）` : null,
    });
    this.tally.bump(d.rule.id, (substituteFor ?? leader).id);
  }

  /** `each`: the leader who owes the day; while away, their deputy on one of those days. */
  private placeOwed(d: Demand, l: RosterLeader): void {
    const day = this.tryPlace(l.id, d);
    if (day >= 0) return this.place(d, day, l, null);
    const aw = this.occupancy.awayOf(l.id);
    const awayDays = d.full.filter((i) => aw[i]);
    if (!awayDays.length) {
      return reportIssue(this.setting, 'unplaced', d.rule, l, d.period, `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：本期可用的工作日都已有其他接访安排`);
    }
    const leave = this.setting.leaves.find((u) => u.leaderId === l.id && u.deputyId && u.from <= d.period.end && u.to >= d.period.start);
    const deputy = this.setting.leaderById.get(leave?.deputyId ?? l.deputyId ?? '');
    if (deputy?.active && deputy.id !== l.id) {
      const dd = this.best(deputy.id, awayDays, d.venue.id, 0, false);
      if (dd >= 0) {
        this.place(d, dd, deputy, l);
        return reportIssue(this.setting, 'deputy', d.rule, l, d.period, `${l.name}${d.period.label}不在岗（${leave?.reason ?? '请假'}），由${deputy.name}代为接访（${this.setting.days.dates[dd]}，${d.venue.name}）`);
      }
      return reportIssue(this.setting, 'unplaced', d.rule, l, d.period, `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：本人不在岗，代班领导${deputy.name}也没有空闲的工作日`);
    }
    const allAway = awayDays.length === d.full.length;
    reportIssue(this.setting, 'unplaced', d.rule, l, d.period,
      `${l.name}${d.period.label}在${d.venue.name}的接访未能安排：${allAway ? '本期全部工作日不在岗' : '在岗的工作日都已有其他安排'}，且未指定代班领导`);
  }

  /** `rotate`: the least loaded leader of the pool who has a free day, turns rotating by period. */
  private placeRotating(d: Demand): void {
    const pool = d.pool!;
    const n = pool.length;
    const ranked = pool
      .map((l, i) => ({ l, load: this.tally.turnsOf(d.rule.id, l.id), turn: (i - d.periodIndex + n * 1000) % n }))
      .sort((a, b) => a.load - b.load || a.turn - b.turn);
    for (const { l } of ranked) {
      const day = this.tryPlace(l.id, d);
      if (day >= 0) {
        this.place(d, day, l, null);
        this.tally.takeTurn(d.rule.id, l.id);
        return;
      }
    }
    reportIssue(this.setting, 'unplaced', d.rule, null, d.period, `${d.period.label}${d.venue.name}的轮值接访未能安排：该组领导当期均不在岗或已有其他安排`);
  }
}
