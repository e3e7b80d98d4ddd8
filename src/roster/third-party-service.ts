import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { toDbTime } from '../platform/database/time';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { formatChineseDate, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { PlanIssue } from './domain';
import {
  checkThirdParty, clashOf, planThirdParties, ruleLabel, ThirdParty, thirdPartyLabel, ThirdPartyRule, TpSession,
} from './domain/third-party-rules';
import type { RulesFile } from './rules-file';
import { sessionIdArg } from './command-args';
import { SessionStore } from './session-store';
import type { SessionView } from './session-view';
import { ThirdPartyFigures, ThirdPartyStore } from './third-party-store';
import { lockKeys } from '../platform/database/cluster-lock';

export interface ThirdPartyInput {
  name: string;
  kind: string;
  organisation?: string | null;
  phone: string;
}

/** What the plan step did: bookings made and dropped, and what it could not do. */
export interface ThirdPartyPlanOutcome {
  assigned: number;
  dropped: number;
  issues: PlanIssue[];
}

const NOTHING: ThirdPartyPlanOutcome = { assigned: 0, dropped: 0, issues: [] };
const RULE_ID = 'third-party';
const RULE_NAME = '第三方力量参与接访';

/**
 * 第三方力量: the roster of lawyers, counsellors and mediators (第三方名册, 第三方登记, `third-party …`),
 * their booking on reception sessions by the rules when a plan is made (applyRules, called by
 * PlanService in its transaction) and by hand (安排第三方, 取消第三方). Every write is audited in
 * third_party_events; a booking raises the session's SEQUENCE so calendars show it.
 */
export class ThirdPartyService {
  readonly store: ThirdPartyStore;
  private readonly sessions: SessionStore;

  constructor(private readonly core: Core, private readonly rules: RulesFile) {
    this.store = new ThirdPartyStore(core.db);
    this.sessions = new SessionStore(core.db);
  }

  async register(input: ThirdPartyInput, by: string, now = this.core.now()): Promise<ThirdParty> {
    const c = checkThirdParty(input);
    if (!c.ok) throw new UserError(`${c.reason}未登记。`);
    const p = c.value;
    return runTransaction(this.core.db, async (trx) => {
      const same = (await this.store.list({ activeOnly: true, kind: p.kind }, trx)).find((x) => x.name === p.name && (x.organisation ?? '') === (p.organisation ?? ''));
      if (same) throw new UserError(`名册中已有${thirdPartyLabel(same)}（编号 ${same.id}），未重复登记。`);
      const id = await this.store.insert(trx, p, by, now);
      await this.store.recordEvent(trx, { thirdPartyId: id, sessionId: null, action: 'registered', how: null, actorId: by, reason: null }, now);
      return { id, ...p, active: true };
    });
  }

  /** Before 第三方停用: the active person and how many coming sessions would lose them (nothing changed). */
  async removalPreview(who: string, now = this.core.now()): Promise<{ person: ThirdParty; sessions: number }> {
    const person = await this.resolve(who);
    return { person, sessions: (await this.store.comingSessionsOf(person.id, shanghaiDate(now))).length };
  }

  /** Anyone on the roster, active or not, by 编号: what a 确认停用 button pressed again finds. */
  async byId(id: number): Promise<ThirdParty | null> {
    return (await this.store.list({})).find((p) => p.id === id) ?? null;
  }

  /** Takes someone off the roster (kept for the sessions they attended) and off their coming sessions. */
  async remove(who: string, by: string, now = this.core.now()): Promise<{ person: ThirdParty; sessions: number }> {
    const person = await this.resolve(who);
    const today = shanghaiDate(now);
    return runTransaction(this.core.db, async (trx) => {
      const ids = await this.store.comingSessionsOf(person.id, today, trx);
      for (const id of ids) await this.unbook(trx, id, person.id, 'rule', by, '移出第三方名册', now);
      await this.store.setInactive(trx, person.id, now);
      await this.store.recordEvent(trx, { thirdPartyId: person.id, sessionId: null, action: 'removed', how: null, actorId: by, reason: null }, now);
      return { person, sessions: ids.length };
    });
  }

  /** An active person by 编号 (3, #3, 编号3, 3号) or by name; several of one name are refused with their numbers. */
  async resolve(who: string, among?: ThirdParty[]): Promise<ThirdParty> {
    const w = who.trim();
    if (!w) throw new UserError('请写明第三方人员的姓名或名册编号。');
    const list = among ?? (await this.store.list({ activeOnly: true }));
    const num = /^(?:#|编号)?(\d{1,9})号?$/.exec(w);
    const found = num ? list.filter((p) => p.id === Number(num[1])) : list.filter((p) => p.name === w);
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw new UserError(`名册中有 ${found.length} 位“${w}”：${found.map((p) => `${thirdPartyLabel(p)}，编号 ${p.id}`).join('；')}。请改写编号。`);
    }
    throw new NotFoundError(`${among ? '本场接访没有安排' : '第三方名册中没有'}“${w}”。发送“第三方名册”查看姓名和编号。`);
  }

  /** 安排第三方: refused with why when the person is at another session that half-day. */
  async assign(sessionNo: string, who: string, by: string, now = this.core.now()): Promise<string> {
    const s = await this.openSession(sessionNo, now, '安排');
    const person = await this.resolve(who);
    await runTransaction(this.core.db, async (trx) => {
      // The person's row is the lock two bookings of them queue on; their bookings are then read
      // with a lock too (a current read), not from a turn's older snapshot.
      // On a Galera cluster FOR UPDATE locks one node only: the lock row's write is what two nodes conflict on.
      await lockKeys(trx, [`third_party:${person.id}`]);
      await trx('third_parties').where({ id: person.id }).forUpdate().select('id');
      const bookings = await this.store.personBookingsOn(trx, person.id, s.date);
      if (bookings.some((b) => b.sessionId === s.id && b.thirdPartyId === person.id)) {
        throw new UserError(`${person.name}已安排在本场接访（编号 ${s.id}），无需重复安排。`);
      }
      const clash = clashOf(person.id, s, bookings);
      if (clash) {
        throw new UserError(`${person.name}（${person.kind}）${formatChineseDate(clash.date)}${clash.slot}已安排在${clash.venueName}的接访（编号 ${clash.sessionId}），同一半天不能再参加本场接访。可先“取消第三方 ${clash.sessionId} ${person.name}”，或另选一位。`);
      }
      // A plan generation booking the same person here meanwhile: the primary key refuses, said in Chinese.
      await this.store.assign(trx, { sessionId: s.id, thirdPartyId: person.id, how: 'hand', by }, now).catch((e: unknown) => {
        throw isDuplicateKey(e) ? new UserError(`${person.name}刚被安排在本场接访（编号 ${s.id}），无需重复安排。`) : e;
      });
      await this.store.recordEvent(trx, { thirdPartyId: person.id, sessionId: s.id, action: 'assigned', how: 'hand', actorId: by, reason: null }, now);
      await this.sessions.updateSession(trx, s.id, {}, now);
    });
    return `已安排${thirdPartyLabel(person)}参加${formatChineseDate(s.date)}${s.slot} ${s.venueName}的${s.type}（编号 ${s.id}）。`;
  }

  /** 取消第三方: the person leaves the session; the session's calendars update. */
  async unassign(sessionNo: string, who: string, by: string, now = this.core.now()): Promise<string> {
    const s = await this.openSession(sessionNo, now, '取消');
    const on = (await this.store.ofSessions([s.id])).get(s.id) ?? [];
    if (!on.length) throw new UserError(`接访编号 ${s.id} 没有安排第三方人员。`);
    const person = await this.resolve(who, on);
    const how = on.find((p) => p.id === person.id)!.how;
    await runTransaction(this.core.db, (trx) => this.unbook(trx, s.id, person.id, how, by, null, now));
    return `已取消${thirdPartyLabel(person)}参加${formatChineseDate(s.date)}${s.slot} ${s.venueName}的${s.type}（编号 ${s.id}）。`;
  }

  /** A session still to come: a cancelled one, or one that has taken place (held, or dated before today), is refused. */
  private async openSession(sessionNo: string, now: Date, verb: '安排' | '取消'): Promise<SessionView> {
    const s = await this.sessions.requireSession(sessionIdArg(sessionNo));
    const what = `接访编号 ${s.id}（${formatChineseDate(s.date)}${s.slot} ${s.venueName}）`;
    if (s.status === 'cancelled') throw new UserError(`${what}已取消，不能${verb}第三方人员。`);
    if (s.status === 'held' || s.date < shanghaiDate(now)) throw new UserError(`${what}已经过去，不能再${verb}第三方人员；参加情况以当时的记录为准。`);
    return s;
  }

  private async unbook(trx: Knex.Transaction, sessionId: number, thirdPartyId: number, how: 'rule' | 'hand', by: string, reason: string | null, now: Date): Promise<void> {
    if (!(await this.store.unassign(trx, sessionId, thirdPartyId))) return;
    await this.store.recordEvent(trx, { thirdPartyId, sessionId, action: 'unassigned', how, actorId: by, reason }, now);
    await this.sessions.updateSession(trx, sessionId, {}, now);
  }

  /**
   * The plan step (PlanService.generate, inside its transaction, after the sessions are made): the
   * rules of the rules file applied to the year's sessions from `from` on, fairly rotated (see
   * planThirdParties). A session that existed before gets a new SEQUENCE when its people change.
   */
  async applyRules(trx: Knex.Transaction, o: { year: number; from: IsoDate; rulesFile?: string; by: string; now: Date }): Promise<ThirdPartyPlanOutcome> {
    const rules = this.rules.thirdPartyRules(o.rulesFile);
    if (!(await this.store.hasAny(trx))) return NOTHING;
    const people = await this.store.list({}, trx);
    const sessions = (await this.sessions.listSessions({ year: o.year, from: o.from }, trx)).filter((s) => s.status !== 'held');
    const bookings = await this.store.bookings(`${o.year}-01-01`, `${o.year}-12-31`, trx);
    const plan = planThirdParties({ rules, people, sessions: sessions.map(tpSession), bookings });
    const touched = new Set<number>();
    for (const d of plan.drop) {
      await this.store.unassign(trx, d.sessionId, d.thirdPartyId);
      await this.store.recordEvent(trx, { ...d, action: 'unassigned', how: 'rule', actorId: o.by, reason: '按规则重新生成计划' }, o.now);
      touched.add(d.sessionId);
    }
    await this.store.assignMany(trx, plan.add, 'rule', o.by, '按规则生成计划', o.now);
    for (const a of plan.add) touched.add(a.sessionId);
    // Sessions made by this very run are new to every calendar: no SEQUENCE to raise.
    const made = toDbTime(o.now);
    for (const s of sessions) if (touched.has(s.id) && s.createdAt !== made) await this.sessions.updateSession(trx, s.id, {}, o.now);
    return { assigned: plan.add.length, dropped: plan.drop.length, issues: planIssues(plan.gaps, plan.idle, people) };
  }
}

function tpSession(s: SessionView): TpSession {
  return { id: s.id, date: s.date, slot: s.slot, type: s.type, venueId: s.venueId, venueName: s.venueName, venueKind: s.venueKind };
}

/** Gaps, one line per kind (a handful of sessions named), and rules whose venue matched no session. */
function planIssues(gaps: ReturnType<typeof planThirdParties>['gaps'], idle: ThirdPartyRule[], people: ThirdParty[]): PlanIssue[] {
  const issue = (message: string): PlanIssue => ({ kind: 'unplaced', ruleId: RULE_ID, ruleName: RULE_NAME, leaderId: null, leaderName: null, period: null, message });
  const out: PlanIssue[] = [];
  for (const kind of [...new Set(gaps.map((g) => g.kind))]) {
    const list = gaps.filter((g) => g.kind === kind);
    const none = !people.some((p) => p.active && p.kind === kind);
    const shown = list.slice(0, 3).map((g) => `${formatChineseDate(g.session.date)}${g.session.slot} ${g.session.venueName}`).join('、');
    out.push(issue(none
      ? `第三方名册中没有${kind}，${list.length} 场接访未安排${kind}。请用“第三方登记”登记后重新生成，或用“安排第三方”逐场安排。`
      : `${list.length} 场接访没有空闲的${kind}（同一半天已有安排）：${shown}${list.length > 3 ? ' 等' : ''}。可用“安排第三方 接访编号 姓名”另行安排。`));
  }
  for (const r of idle) if (!['center', 'town', 'all'].includes(r.venue)) out.push(issue(`规则“${ruleLabel(r)}”：没有在“${r.venue}”的接访场次，请核对地点名称（或写 center、town、all）。`));
  return out;
}

/**
 * After sessions moved or changed leader (调整接访, a holiday import, a leave), in that change's
 * transaction and after the sessions were updated: each person booked on them is kept when still
 * active and free that half-day, otherwise taken off the session (audited as unassigned, with
 * `reason`). Sessions are checked in the order given, so of two moved onto one half-day with the
 * same person, the later loses them. Returns one line per person taken off, for the change's notice.
 */
export async function recheckThirdParties(trx: Knex.Transaction, sessionIds: number[], by: string, reason: string, now: Date): Promise<string[]> {
  if (!sessionIds.length) return [];
  const store = new ThirdPartyStore(trx);
  const sessions = new SessionStore(trx);
  const booked = await store.ofSessions(sessionIds, trx);
  const lines: string[] = [];
  for (const id of sessionIds) {
    const on = booked.get(id) ?? [];
    const s = on.length ? await sessions.getSession(id, trx) : null;
    if (!s || s.status === 'cancelled') continue;
    for (const p of on) {
      const clash = p.active ? clashOf(p.id, s, await store.personBookingsOn(trx, p.id, s.date)) : null;
      if (p.active && !clash) continue;
      await store.unassign(trx, s.id, p.id);
      await store.recordEvent(trx, { thirdPartyId: p.id, sessionId: s.id, action: 'unassigned', how: p.how, actorId: by, reason }, now);
      const why = clash ? `${formatChineseDate(clash.date)}${clash.slot}已安排在${clash.venueName}的接访（编号 ${clash.sessionId}）` : '已不在第三方名册中';
      lines.push(`第三方人员：${p.kind}${p.name}${why}，已不再参加本场（编号 ${s.id}），如需请用“安排第三方 ${s.id} <姓名>”另行安排。`);
    }
  }
  return lines;
}

/** Sessions (not cancelled) dated in the period with a lawyer, counsellor, mediator…: in all and by kind. */
export function thirdPartyFigures(db: Knex, period: { from: IsoDate; to: IsoDate }): Promise<ThirdPartyFigures> {
  return new ThirdPartyStore(db).figures(period.from, period.to);
}
