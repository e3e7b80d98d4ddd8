import { CaseBrief, CaseBriefQueries } from '../cases';
import fs from 'node:fs';
import type { Knex } from 'knex';
import { configPath } from '../platform/settings/config';
import { runTransaction } from '../platform/database/transaction';
import {
  addDays, formatChineseDate, InvalidDateError, IsoDate, parseIsoDate, shanghaiDate, shanghaiTime,
} from '../platform/calendar/domain';
import {
  checkMove, checkSwap, ChangeContext, findDoubleBookings, generatePlan, parseRosterRules, PlanIssue, PlanSession,
  receptionDayCheck, RosterLeader, RosterRules, RosterRulesError, RosterVenue, RuleFairness, SESSION_TYPES, SessionLike,
  SessionType, Slot, SLOTS, Unavailability,
} from './domain';
import { NotFoundError, ForbiddenError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/feature';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import {
  ChangeRequest, RosterStore, SessionOutcome, SessionView,
} from './roster-store';
import type { User } from '../platform/directory/user-store';
import {
  CHANGE_STATUS_LABELS, changeNoticeCard, changeRequestCard, describeRequest, sessionWhen,
} from './roster-cards';
import {
  formatRowError, parsePlanTime, PlanImportError, readPlanWorkbook, RowError, splitList,
} from './plan-excel';

export interface GenerateOptions {
  rulesFile?: string;
  /** Remake a year that already has a plan: coming sessions are cancelled and planned afresh. */
  replace?: boolean;
  /** Plan a year without holiday data from weekends alone. */
  allowProvisional?: boolean;
  /** Plan the whole year, past days included (the demo's history); otherwise from today on. */
  includePast?: boolean;
  by?: string;
}

export interface GenerateOutcome {
  year: number;
  provisional: boolean;
  placed: number;
  cancelled: number;
  kept: number;
  issues: PlanIssue[];
  fairness: RuleFairness[];
  rulesFile: string;
}

export interface ImportOutcome {
  added: number;
  updated: number;
  unchanged: number;
  cancelled: number;
  years: number[];
  warnings: string[];
}

export type ScopeMatch =
  | { kind: 'town'; town: string; venueIds: string[] }
  | { kind: 'leader'; leader: RosterLeader }
  | { kind: 'ambiguous'; choices: string[] }
  | { kind: 'none' };

/** Where a notice goes: a person (open_id) or a group (chat_id). */
interface Target {
  receiveIdType: 'open_id' | 'chat_id';
  receiveId: string;
}

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/**
 * The reception roster: making the year's plan, showing it, importing and exporting it,
 * changing it with the admin's approval, and recording what happened at each session.
 */
export class RosterService {
  readonly store: RosterStore;
  readonly cases: CaseBriefQueries;

  /** Whether a date lies in a year without holiday data: sessions there are only 暂定. */
  readonly provisionalDate = (date: string): boolean => !this.core.calendar.calendar.isKnown(date);

  constructor(private readonly core: Core) {
    this.store = new RosterStore(core.db);
    this.cases = new CaseBriefQueries(core.db);
  }

  today(now = this.core.now()): IsoDate {
    return shanghaiDate(now);
  }

  // --- rules and venues ---

  rulesPath(file?: string): string {
    return file ?? configPath(this.core.config, this.core.config.ROSTER_RULES_FILE);
  }

  loadRules(file?: string): RosterRules {
    const path = this.rulesPath(file);
    if (!fs.existsSync(path)) throw new UserError(`找不到排班规则文件：${path}`);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch {
      throw new UserError(`排班规则文件 ${path} 不是合法的 JSON`);
    }
    try {
      return parseRosterRules(json);
    } catch (e) {
      if (e instanceof RosterRulesError) throw new UserError(e.message);
      throw e;
    }
  }

  /** The county centre and each town's 综治中心 from config/reference.json, where missing. */
  async ensureVenues(ids: Record<string, string> = {}): Promise<number> {
    const ref = this.core.reference();
    const have = await this.store.listVenues();
    let added = 0;
    for (const v of ref.venues) {
      if (have.some((h) => h.id === v.id)) continue;
      await this.store.upsertVenue({ id: v.id, name: v.name, kind: (v.kind as RosterVenue['kind']) ?? 'center', town: v.town ?? null, address: null });
      added++;
    }
    const excluded = ['县直'];
    for (const [i, town] of ref.towns.entries()) {
      if (excluded.includes(town) || have.some((h) => h.kind === 'town' && h.town === town)) continue;
      await this.store.upsertVenue({ id: `zz-${ids[town] ?? i + 1}`, name: `${town}综治中心`, kind: 'town', town, address: null });
      added++;
    }
    return added;
  }

  // --- the plan ---

  async generate(year: number, opts: GenerateOptions = {}, now = this.core.now()): Promise<GenerateOutcome> {
    if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new UserError(`年份“${year}”无效，应为 ${YEAR_MIN}–${YEAR_MAX} 之间的四位数字`);
    const rules = this.loadRules(opts.rulesFile);
    const cal = this.core.calendar.calendar;
    const provisional = !cal.isKnown(`${year}-01-01`);
    if (provisional && !opts.allowProvisional) {
      throw new UserError(
        `没有 ${year} 年的节假日安排数据，无法确定该年的工作日，未生成计划。` +
          `请在国务院办公厅通知发布后用“xinfang holidays import”导入 ${year} 年安排；` +
          `如需先按周末暂排，可加 --provisional（聊天中加“暂排”），计划将标注为暂定。`,
        'unknown_year',
      );
    }
    const today = this.today(now);
    if (year < Number(today.slice(0, 4))) throw new UserError(`${year} 年已经过去，不能再生成该年计划`);
    const current = await this.store.listSessions({ year });
    if (current.length && !opts.replace) {
      throw new UserError(`${year} 年已有 ${current.length} 场接访安排。如要按规则重新生成，请加 --replace（今天及以后的安排将取消并重排，已举行的保留）。`, 'plan_exists');
    }
    const leaders = await this.store.listLeaders();
    if (!leaders.some((l) => l.active)) throw new UserError('还没有登记领导，无法生成计划。可先运行 xinfang demo 生成示例县，或用 xinfang plan leader add 添加领导。');
    await this.ensureVenues();
    const venues = await this.store.listVenues();
    const unavailability = await this.store.listUnavailability({ from: `${year}-01-01`, to: `${year}-12-31` });
    const keep = current.filter((s) => s.date < today || s.status === 'held');
    const cancel = current.filter((s) => !keep.includes(s));
    const fromDate = !opts.includePast && today > `${year}-01-01` ? today : undefined;

    const result = generatePlan({
      year, rules, leaders, venues, unavailability, calendar: cal, allowProvisional: opts.allowProvisional, fromDate,
      existing: keep.map(toPlanSession),
    });
    await runTransaction(this.core.db, async (trx) => {
      if (cancel.length) await this.store.cancelSessions(trx, cancel.map((s) => s.id), '按规则重新生成计划，原安排取消', now);
      await this.store.insertSessions(trx, result.sessions, now);
      await this.store.savePlan(trx, {
        year, provisional, source: this.rulesPath(opts.rulesFile), generatedBy: opts.by ?? null,
        report: { issues: result.issues, fairness: result.fairness, placed: result.sessions.length },
      }, now);
    });
    return {
      year, provisional, placed: result.sessions.length, cancelled: cancel.length, kept: keep.length, issues: result.issues,
      fairness: result.fairness, rulesFile: this.rulesPath(opts.rulesFile),
    };
  }

  async sessions(filter: Parameters<RosterStore['listSessions']>[0]): Promise<SessionView[]> {
    return this.store.listSessions(filter);
  }

  /** Finds a town (阳城 or 阳城镇) or a leader (by name, or a title that fits one leader). */
  async findScope(query: string): Promise<ScopeMatch> {
    const q = query.trim();
    if (!q) return { kind: 'none' };
    const venues = await this.store.listVenues();
    const towns = [...new Set(venues.map((v) => v.town).filter((t): t is string => !!t))];
    const town = towns.find((t) => t === q) ?? (q.length >= 2 ? towns.find((t) => t.startsWith(q)) : undefined);
    if (town) return { kind: 'town', town, venueIds: venues.filter((v) => v.town === town).map((v) => v.id) };
    if (['县城', '县中心', '县群众来访接待中心', '接待中心'].includes(q)) {
      const c = venues.filter((v) => v.kind === 'center');
      if (c.length) return { kind: 'town', town: c[0].name, venueIds: c.map((v) => v.id) };
    }
    const leaders = await this.store.listLeaders({ activeOnly: true });
    const byName = leaders.filter((l) => l.name === q || l.id === q);
    if (byName.length === 1) return { kind: 'leader', leader: byName[0] };
    const byTitle = byName.length ? byName : leaders.filter((l) => l.title === q || l.title.includes(q));
    if (byTitle.length === 1) return { kind: 'leader', leader: byTitle[0] };
    if (byTitle.length > 1) return { kind: 'ambiguous', choices: byTitle.slice(0, 10).map((l) => `${l.name}（${l.title}）`) };
    return { kind: 'none' };
  }

  // --- changes ---

  /** The leader on whose behalf `user` acts in session `s`: themselves, or for an admin the first leader. */
  private actingLeader(user: User, s: SessionView): string {
    if (s.leaders.some((l) => l.id === user.id)) return user.id;
    if (user.role === 'admin' && s.leaders.length) return s.leaders[0].id;
    throw new ForbiddenError(`编号 ${s.id} 的接访不是您的安排，只能调整自己的接访`);
  }

  private async requireSession(id: number, db?: Knex | Knex.Transaction): Promise<SessionView> {
    const s = await this.store.getSession(id, db);
    if (!s) throw new NotFoundError(`没有编号为 ${id} 的接访安排`);
    return s;
  }

  private async changeContext(today: IsoDate, db: Knex | Knex.Transaction, leaderIds: string[]): Promise<ChangeContext> {
    const lists = await Promise.all(leaderIds.map((id) => this.store.listSessions({ leaderId: id, from: today }, db)));
    const seen = new Set<number>();
    const sessions: SessionLike[] = [];
    for (const s of lists.flat()) if (!seen.has(s.id) && seen.add(s.id)) sessions.push(toLike(s));
    const leaders = await this.store.listLeaders({}, db);
    const names = new Map(leaders.map((l) => [l.id, l.name]));
    return {
      calendar: this.core.calendar.calendar,
      today,
      // Only meaningful when today is the real today (not a date handed in for a check).
      nowTime: today === shanghaiDate(this.core.now()) ? shanghaiTime(this.core.now()) : undefined,
      sessions,
      unavailability: await this.store.listUnavailability({ from: today }, db),
      leaderName: (id) => names.get(id) ?? id,
    };
  }

  private async pendingFor(sessionIds: number[]): Promise<ChangeRequest | undefined> {
    return (await this.store.listChangeRequests('pending')).find(
      (r) => sessionIds.includes(r.sessionId) || (r.otherSessionId !== null && sessionIds.includes(r.otherSessionId)),
    );
  }

  /** The bureau's group(s) when registered, else each admin in person. */
  private async approverTargets(): Promise<Target[]> {
    const groups = await this.core.chats.forRole('bureau');
    if (groups.length) return groups.map((g) => ({ receiveIdType: 'chat_id', receiveId: g.id }));
    return (await this.core.users.listByRole('admin')).map((u) => ({ receiveIdType: 'open_id', receiveId: u.id }));
  }

  private async venueTargets(venueIds: string[]): Promise<Target[]> {
    const ids = new Set<string>();
    for (const v of new Set(venueIds)) {
      for (const c of await this.core.chats.forVenue(v)) ids.add(c.id);
      const own = await this.store.venueChatId(v);
      if (own) ids.add(own);
    }
    return [...ids].map((id) => ({ receiveIdType: 'chat_id', receiveId: id }));
  }

  private async leaderNames(): Promise<(id: string) => string> {
    const leaders = await this.store.listLeaders();
    const m = new Map(leaders.map((l) => [l.id, `${l.name}（${l.title}）`]));
    return (id) => m.get(id) ?? id;
  }

  private async slotTimes(slot: Slot): Promise<{ startTime: string; endTime: string }> {
    let slots: RosterRules['slots'];
    try {
      slots = this.loadRules().slots;
    } catch {
      slots = parseRosterRules({ rules: [{ id: 'x', name: 'x', type: '接访', leaders: 'county', venue: 'center', per: 'year' }] }).slots;
    }
    return { startTime: slots[slot].start, endTime: slots[slot].end };
  }

  async requestMove(user: User, sessionId: number, dateText: string, slot: Slot | undefined, reason: string | null, now = this.core.now()) {
    const s = await this.requireSession(sessionId);
    const leaderId = this.actingLeader(user, s);
    let date: IsoDate;
    try {
      date = parseIsoDate(dateText);
    } catch (e) {
      if (e instanceof InvalidDateError) throw new UserError(`新的${e.message}`);
      throw e;
    }
    if (slot !== undefined && !SLOTS.includes(slot)) throw new UserError(`时段“${slot}”无效，可选：上午、下午、全天`);
    const target = { date, slot: slot ?? s.slot, ...(await this.slotTimes(slot ?? s.slot)) };
    if (target.slot === s.slot) Object.assign(target, { startTime: s.startTime, endTime: s.endTime });
    const today = this.today(now);
    const ctx = await this.changeContext(today, this.core.db, s.leaders.map((l) => l.id));
    const problems = checkMove(toLike(s), target, ctx);
    if (problems.length) throw new UserError(`无法申请改期：\n${problems.map((p) => `• ${p}`).join('\n')}`);
    return this.fileRequest({
      kind: 'move', sessionId: s.id, leaderId, requestedBy: user.id, targetDate: date, targetSlot: target.slot,
      otherSessionId: null, otherLeaderId: null, reason: clip(reason, 200),
    }, s, null, now);
  }

  async requestSwap(user: User, sessionId: number, otherSessionId: number, reason: string | null, now = this.core.now()) {
    const a = await this.requireSession(sessionId);
    const leaderA = this.actingLeader(user, a);
    const b = await this.requireSession(otherSessionId);
    const leaderB = b.leaders.find((l) => l.id !== leaderA)?.id;
    if (!leaderB) throw new UserError(`编号 ${b.id} 的接访没有可对调的其他领导`);
    const today = this.today(now);
    const ctx = await this.changeContext(today, this.core.db, [leaderA, leaderB]);
    const problems = checkSwap(toLike(a), leaderA, toLike(b), leaderB, ctx);
    if (problems.length) throw new UserError(`无法申请对调：\n${problems.map((p) => `• ${p}`).join('\n')}`);
    return this.fileRequest({
      kind: 'swap', sessionId: a.id, leaderId: leaderA, requestedBy: user.id, targetDate: null, targetSlot: null,
      otherSessionId: b.id, otherLeaderId: leaderB, reason: clip(reason, 200),
    }, a, b, now);
  }

  private async fileRequest(
    r: Omit<ChangeRequest, 'id' | 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'createdAt'>,
    a: SessionView,
    b: SessionView | null,
    now: Date,
  ): Promise<{ request: ChangeRequest; description: string }> {
    const pending = await this.pendingFor([a.id, ...(b ? [b.id] : [])]);
    if (pending) throw new UserError(`相关接访已有待审批的调整申请（申请编号 ${pending.id}），请等管理员处理后再申请`);
    const names = await this.leaderNames();
    const approvers = await this.approverTargets();
    const id = await runTransaction(this.core.db, async (trx) => {
      const newId = await this.store.createChangeRequest(trx, r, now);
      const request = (await this.store.getChangeRequest(newId, trx))!;
      const description = describeRequest(request, a, b, names);
      for (const t of approvers) {
        await enqueueMessage(trx, { ...t, msgType: 'interactive', content: changeRequestCard(request, description), source: `roster-change:${newId}` }, now);
      }
      return newId;
    });
    const request = (await this.store.getChangeRequest(id))!;
    return { request, description: describeRequest(request, a, b, names) };
  }

  async pendingRequests(): Promise<Array<{ request: ChangeRequest; description: string; problems: string[] }>> {
    const names = await this.leaderNames();
    const out = [];
    const today = this.today();
    for (const r of await this.store.listChangeRequests('pending')) {
      const a = await this.store.getSession(r.sessionId);
      const b = r.otherSessionId ? await this.store.getSession(r.otherSessionId) : null;
      if (!a) continue;
      out.push({ request: r, description: describeRequest(r, a, b, names), problems: await this.problemsOf(r, a, b, today, this.core.db) });
    }
    return out;
  }

  private async problemsOf(r: ChangeRequest, a: SessionView, b: SessionView | null, today: IsoDate, db: Knex | Knex.Transaction): Promise<string[]> {
    if (r.kind === 'move') {
      const ctx = await this.changeContext(today, db, a.leaders.map((l) => l.id));
      const times = r.targetSlot === a.slot ? { startTime: a.startTime, endTime: a.endTime } : await this.slotTimes(r.targetSlot as Slot);
      return checkMove(toLike(a), { date: r.targetDate!, slot: r.targetSlot as Slot, ...times }, ctx);
    }
    if (!b) return [`对调的接访（编号 ${r.otherSessionId}）已不存在`];
    const ctx = await this.changeContext(today, db, [r.leaderId, r.otherLeaderId!]);
    return checkSwap(toLike(a), r.leaderId, toLike(b), r.otherLeaderId!, ctx);
  }

  /**
   * The admin's decision. On approval the conflicts are checked again inside the transaction;
   * if the plan changed meanwhile the request closes as 'conflict' and nothing moves. Either way
   * the people concerned are told through the outbox, in the same transaction.
   */
  async decide(user: User, requestId: number, approve: boolean, note: string | null, now = this.core.now()): Promise<{ status: ChangeRequest['status']; message: string }> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以审批接访调整');
    const r = await this.store.getChangeRequest(requestId);
    if (!r) throw new NotFoundError(`没有编号为 ${requestId} 的调整申请`);
    if (r.status !== 'pending') throw new UserError(`该申请${CHANGE_STATUS_LABELS[r.status]}，无需重复处理`);
    const a0 = await this.requireSession(r.sessionId);
    const b0 = r.otherSessionId ? await this.requireSession(r.otherSessionId) : null;
    const names = await this.leaderNames();
    const description = describeRequest(r, a0, b0, names);
    const people: Target[] = [...new Set([r.requestedBy, r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : [])])]
      .map((id) => ({ receiveIdType: 'open_id' as const, receiveId: id }));
    const venues = await this.venueTargets([a0.venueId, ...(b0 ? [b0.venueId] : [])]);
    const today = this.today(now);

    return runTransaction(this.core.db, async (trx) => {
      const send = async (targets: Target[], content: Record<string, unknown>) => {
        for (const t of targets) await enqueueMessage(trx, { ...t, msgType: 'interactive', content, source: `roster-change:${r.id}` }, now);
      };
      if (!approve) {
        if (!(await this.store.decideChangeRequest(trx, r.id, 'rejected', user.id, clip(note, 500), now))) throw new UserError('该申请已被处理');
        await send(people, changeNoticeCard({ title: '接访调整申请未获批准', template: 'red', lines: [description, ...(note ? [`说明：${note}`] : [])] }));
        return { status: 'rejected' as const, message: `已驳回：${description}` };
      }
      // Serialise changes touching the same leaders (MySQL row locks; SQLite runs one writer anyway).
      await trx('leaders').whereIn('id', [r.leaderId, ...(r.otherLeaderId ? [r.otherLeaderId] : [])]).forUpdate().select('id');
      const a = await this.requireSession(r.sessionId, trx);
      const b = r.otherSessionId ? await this.requireSession(r.otherSessionId, trx) : null;
      const problems = await this.problemsOf(r, a, b, today, trx);
      if (problems.length) {
        if (!(await this.store.decideChangeRequest(trx, r.id, 'conflict', user.id, problems.join('；'), now))) throw new UserError('该申请已被处理');
        await send(people, changeNoticeCard({ title: '接访调整未能生效', template: 'red', lines: [description, '审批时发现冲突：', ...problems] }));
        return { status: 'conflict' as const, message: `无法调整，存在冲突：\n${problems.map((p) => `• ${p}`).join('\n')}\n申请已关闭，已通知申请人。` };
      }
      if (!(await this.store.decideChangeRequest(trx, r.id, 'approved', user.id, clip(note, 500), now))) throw new UserError('该申请已被处理');
      const lines: string[] = [];
      if (r.kind === 'move') {
        const times = r.targetSlot === a.slot ? { startTime: a.startTime, endTime: a.endTime } : await this.slotTimes(r.targetSlot as Slot);
        const after = { date: r.targetDate!, slot: r.targetSlot as Slot, ...times };
        await this.store.updateSession(trx, a.id, { ...after, status: 'changed' }, now);
        lines.push(`${a.leaders.map((l) => l.name).join('、')}在${a.venueName}的${a.type}`, `原定：${sessionWhen(a)}`, `改为：${sessionWhen(after)}`);
      } else {
        await this.store.replaceLeader(trx, a.id, r.leaderId, r.otherLeaderId!);
        await this.store.replaceLeader(trx, b!.id, r.otherLeaderId!, r.leaderId);
        await this.store.updateSession(trx, a.id, { status: 'changed' }, now);
        await this.store.updateSession(trx, b!.id, { status: 'changed' }, now);
        lines.push(
          `${sessionWhen(a)} ${a.venueName}：改由${names(r.otherLeaderId!)}接访`,
          `${sessionWhen(b!)} ${b!.venueName}：改由${names(r.leaderId)}接访`,
        );
      }
      await send([...people, ...venues], changeNoticeCard({ title: '接访安排已调整', lines: [...lines, ...(r.reason ? [`原因：${r.reason}`] : [])] }));
      return { status: 'approved' as const, message: `已批准并通知相关领导和接访点：\n${lines.join('\n')}` };
    });
  }

  /** Cancels a session: kept with status cancelled (calendars show it so), everyone concerned told. */
  async cancel(user: User, sessionId: number, reason: string | null, now = this.core.now()): Promise<SessionView> {
    if (user.role !== 'admin') throw new ForbiddenError('只有管理员可以取消接访');
    const s = await this.requireSession(sessionId);
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已经取消`);
    if (s.status === 'held') throw new UserError(`编号 ${s.id} 的接访已举行，不能取消`);
    const targets = [
      ...s.leaders.map((l) => ({ receiveIdType: 'open_id' as const, receiveId: l.id })),
      ...(await this.venueTargets([s.venueId])),
    ];
    const pending = await this.pendingFor([s.id]);
    await runTransaction(this.core.db, async (trx) => {
      await this.store.updateSession(trx, s.id, { status: 'cancelled', note: clip(reason, 200) ?? s.note }, now);
      if (pending) await this.store.decideChangeRequest(trx, pending.id, 'rejected', user.id, '接访已取消', now);
      const content = changeNoticeCard({
        title: '接访已取消', template: 'red',
        lines: [`${sessionWhen(s)} ${s.venueName} ${s.leaders.map((l) => l.name).join('、')}的${s.type}已取消`, ...(reason ? [`原因：${reason}`] : [])],
      });
      for (const t of targets) await enqueueMessage(trx, { ...t, msgType: 'interactive', content, source: `roster-cancel:${s.id}` }, now);
    });
    return (await this.store.getSession(s.id))!;
  }

  // --- after the session ---

  async recordOutcome(
    user: User,
    sessionId: number,
    input: { batches: string | number; persons: string | number; note?: string | null },
    now = this.core.now(),
  ): Promise<{ session: SessionView; cases: CaseBrief[] }> {
    const s = await this.requireSession(sessionId);
    if (user.role === 'unit' || (user.role === 'leader' && !s.leaders.some((l) => l.id === user.id))) {
      throw new ForbiddenError('只有登记员、管理员或本场接访的领导可以记录接访情况');
    }
    if (s.status === 'cancelled') throw new UserError(`编号 ${s.id} 的接访已取消，不能记录`);
    if (s.date > this.today(now)) throw new UserError(`编号 ${s.id} 的接访在${formatChineseDate(s.date)}，尚未举行，不能记录`);
    const batches = count(input.batches, '接待批次');
    const persons = count(input.persons, '接待人次');
    if (persons < batches) throw new UserError('接待人次不能少于接待批次');
    const note = clip(input.note ?? null, 500);
    const cases = await this.cases.casesOfSession(s);
    const outcome: SessionOutcome = {
      batches, persons, caseNos: cases.map((c) => c.caseNo), note, recordedBy: user.id, recordedAt: now.toISOString(),
    };
    await runTransaction(this.core.db, (trx) => this.store.updateSession(trx, s.id, { status: 'held', outcome }, now));
    return { session: (await this.store.getSession(s.id))!, cases };
  }

  /**
   * What 接访记录 offers: the sessions of the last `days` days this person may record, newest first: not cancelled, and
   * for a leader only the sessions they received at (recordOutcome refuses the rest).
   */
  async recordable(days: number, user: User, now = this.core.now()): Promise<SessionView[]> {
    const today = this.today(now);
    return (await this.store.listSessions({ from: addDays(today, -days), to: today }))
      .filter((s) => s.status !== 'cancelled' && (user.role !== 'leader' || s.leaders.some((l) => l.id === user.id)))
      .reverse();
  }

  // --- leave ---

  async addLeave(u: Unavailability, now = this.core.now()): Promise<void> {
    const from = parseIsoDate(u.from);
    const to = parseIsoDate(u.to);
    if (to < from) throw new UserError('结束日期不能早于开始日期');
    if (!(await this.store.getLeader(u.leaderId))) throw new NotFoundError(`没有领导“${u.leaderId}”`);
    if (u.deputyId && !(await this.store.getLeader(u.deputyId))) throw new NotFoundError(`没有代班领导“${u.deputyId}”`);
    if (u.deputyId === u.leaderId) throw new UserError('代班领导不能是本人');
    await this.store.addUnavailability({ ...u, from, to }, now);
  }

  // --- Excel ---

  /**
   * Imports a workbook in the office layout. Every row is checked first (leader, venue, type,
   * working day, leave, double booking within the file and against the plan); any error and
   * nothing is written. Rows equal to a session already planned leave it as it is; `replace`
   * cancels the coming sessions of those years that the workbook no longer holds.
   */
  async importPlan(data: Buffer, opts: { replace?: boolean; source?: string; by?: string } = {}, now = this.core.now()): Promise<ImportOutcome> {
    const { rows, errors } = await readPlanWorkbook(data);
    if (errors.length) throw new PlanImportError(errors);
    if (!rows.length) throw new PlanImportError([{ row: 2, column: null, message: '工作簿没有数据行' }]);
    const leaders = await this.store.listLeaders({ activeOnly: true });
    const venues = await this.store.listVenues();
    const rules = this.loadRules();
    const cal = this.core.calendar.calendar;
    const warnings = new Set<string>();
    const errs: RowError[] = [];
    const err = (row: number, column: RowError['column'], message: string) => errs.push({ row, column, message });
    const candidates: Array<{ row: number; s: PlanSession }> = [];
    const unavailability = await this.store.listUnavailability();

    for (const r of rows) {
      const c = r.cells;
      const before = errs.length;
      if (!r.date) err(r.row, '日期', c['日期'] ? `“${c['日期']}”不是有效日期，应写成 2026-03-05` : '日期不能为空');
      else {
        const day = receptionDayCheck(r.date, cal);
        if (!day.ok) err(r.row, '日期', day.reason!);
        else if (day.provisional) warnings.add(`没有 ${r.date.slice(0, 4)} 年的节假日数据，该年的日期只核对了周末`);
      }
      const time = parsePlanTime(c['时间'], rules.slots);
      if (!time) err(r.row, '时间', c['时间'] ? `“${c['时间']}”无法识别，应写“上午”“下午”“全天”或“09:00-12:00”` : '时间不能为空');
      const names = splitList(c['领导']);
      const titles = splitList(c['职务']);
      const ids: string[] = [];
      if (!names.length) err(r.row, '领导', '领导不能为空');
      names.forEach((n, i) => {
        let found = leaders.filter((l) => l.name === n);
        if (found.length > 1 && titles[i]) found = found.filter((l) => l.title === titles[i]);
        if (!found.length) err(r.row, '领导', `没有名为“${n}”的在任领导`);
        else if (found.length > 1) err(r.row, '领导', `有 ${found.length} 位领导名为“${n}”，请在“职务”列写明以区分`);
        else if (ids.includes(found[0].id)) err(r.row, '领导', `“${n}”重复`);
        else ids.push(found[0].id);
      });
      const venueText = c['地点'];
      const venue = venues.find((v) => v.name === venueText || v.id === venueText);
      if (!venueText) err(r.row, '地点', '地点不能为空');
      else if (!venue) err(r.row, '地点', `没有名为“${venueText}”的接访地点（可用：${venues.slice(0, 4).map((v) => v.name).join('、')}等）`);
      const type = c['类型'] as SessionType;
      if (!SESSION_TYPES.includes(type)) err(r.row, '类型', c['类型'] ? `“${c['类型']}”无效，应为 接访、下访 或 约访` : '类型不能为空');
      if (c['接访重点'].length > 200) err(r.row, '接访重点', `不能超过 200 字（现有 ${c['接访重点'].length} 字）`);
      if (r.date && ids.length) {
        for (const id of ids) {
          const u = unavailability.find((x) => x.leaderId === id && x.from <= r.date! && x.to >= r.date!);
          if (u) err(r.row, '领导', `${leaders.find((l) => l.id === id)!.name}${formatChineseDate(r.date)}不在岗（${u.reason ?? '请假'}）`);
        }
      }
      if (errs.length > before) continue;
      candidates.push({
        row: r.row,
        s: {
          date: r.date!, slot: time!.slot, startTime: time!.startTime, endTime: time!.endTime, type, venueId: venue!.id, leaderIds: ids,
          accompanyUnits: splitList(c['陪同单位']), focus: c['接访重点'] || null, capacity: null, ruleId: null, substituteFor: null, note: null,
        },
      });
    }

    // Duplicates and double bookings within the workbook.
    const seenKey = new Map<string, number>();
    for (const { row, s } of candidates) {
      const k = naturalKey(s);
      if (seenKey.has(k)) err(row, null, `与第 ${seenKey.get(k)} 行重复`);
      else seenKey.set(k, row);
    }
    const nameOf = (id: string) => leaders.find((l) => l.id === id)?.name ?? id;
    for (const c of findDoubleBookings(candidates.map(({ s }) => ({ ...s })).map((s, i) => ({ ...s, id: i })))) {
      const ra = candidates[c.a.id!].row;
      const rb = candidates[c.b.id!].row;
      if (naturalKey(candidates[c.a.id!].s) === naturalKey(candidates[c.b.id!].s)) continue;
      err(Math.max(ra, rb), '领导', `${nameOf(c.leaderId)}与第 ${Math.min(ra, rb)} 行的安排时间重叠`);
    }

    // Against the plan in the database.
    const years = [...new Set(candidates.map((x) => Number(x.s.date.slice(0, 4))))].sort();
    const today = this.today(now);
    const existing = (await Promise.all(years.map((y) => this.store.listSessions({ year: y })))).flat();
    const existingByKey = new Map<string, SessionView>();
    for (const e of existing) existingByKey.set(naturalKey(toPlanSession(e)), e);
    const matched = new Set<number>();
    for (const { s } of candidates) {
      const e = existingByKey.get(naturalKey(s));
      if (e) matched.add(e.id);
    }
    const toCancel = opts.replace ? existing.filter((e) => !matched.has(e.id) && e.status !== 'held' && e.date >= today) : [];
    const staying = existing.filter((e) => !toCancel.includes(e) && !matched.has(e.id));
    const stayingLike = staying.map(toLike);
    for (const { row, s } of candidates) {
      if (existingByKey.has(naturalKey(s))) continue;
      for (const l of s.leaderIds) {
        const clash = stayingLike.find((e) => e.leaderIds.includes(l) && e.date === s.date && e.startTime < s.endTime && s.startTime < e.endTime);
        if (clash) err(row, '领导', `${nameOf(l)}在${formatChineseDate(clash.date)}${clash.slot}已有接访安排（编号 ${clash.id}）${opts.replace ? '' : '；如要以本表为准，请加 --replace'}`);
      }
    }
    if (errs.length) throw new PlanImportError(errs.sort((a, b) => a.row - b.row));

    let added = 0;
    let updated = 0;
    let unchanged = 0;
    await runTransaction(this.core.db, async (trx) => {
      if (toCancel.length) await this.store.cancelSessions(trx, toCancel.map((e) => e.id), '按导入的计划表取消', now);
      const fresh: PlanSession[] = [];
      for (const { s } of candidates) {
        const e = existingByKey.get(naturalKey(s));
        if (!e) {
          fresh.push(s);
          continue;
        }
        const same = e.focus === s.focus && e.accompanyUnits.join('、') === s.accompanyUnits.join('、');
        if (same) unchanged++;
        else {
          await this.store.updateSession(trx, e.id, { focus: s.focus, accompanyUnits: s.accompanyUnits }, now);
          updated++;
        }
      }
      await this.store.insertSessions(trx, fresh, now);
      added = fresh.length;
      for (const y of years) {
        if (!(await this.store.getPlan(y, trx))) {
          await this.store.savePlan(trx, {
            year: y, provisional: !cal.isKnown(`${y}-01-01`), source: opts.source ?? 'Excel 导入', generatedBy: opts.by ?? null, report: null,
          }, now);
        }
      }
    });
    return { added, updated, unchanged, cancelled: toCancel.length, years, warnings: [...warnings] };
  }
}

export { formatRowError, PlanImportError };
export type { RowError };

function naturalKey(s: Pick<PlanSession, 'date' | 'startTime' | 'endTime' | 'venueId' | 'type' | 'leaderIds'>): string {
  return [s.date, s.startTime, s.endTime, s.venueId, s.type, [...s.leaderIds].sort().join(',')].join('|');
}

export function toPlanSession(s: SessionView): PlanSession {
  const sub = s.leaders.find((l) => l.substituteFor);
  return {
    date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, type: s.type, venueId: s.venueId,
    leaderIds: s.leaders.map((l) => l.id), accompanyUnits: s.accompanyUnits, focus: s.focus, capacity: s.capacity,
    ruleId: s.ruleId, substituteFor: sub?.substituteFor ?? null, note: s.note,
  };
}

export function toLike(s: SessionView): SessionLike {
  return {
    id: s.id, date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, venueId: s.venueId,
    leaderIds: s.leaders.map((l) => l.id), status: s.status,
  };
}

function clip(s: string | null | undefined, max: number): string | null {
  const t = (s ?? '').trim();
  return t ? t.slice(0, max) : null;
}

function count(v: string | number, label: string): number {
  const s = String(v ?? '').trim();
  if (!/^\d{1,5}$/.test(s)) throw new UserError(`${label}应为不小于 0 的整数，收到“${s}”`);
  return Number(s);
}
