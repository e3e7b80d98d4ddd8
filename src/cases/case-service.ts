import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { addDays, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { computeDeadlines, PeriodFn, workingDaysLeft } from './domain/case-deadlines';
import {
  Actor,
  applyTransition,
  availableActions,
  CaseAction,
  CaseCommand,
  CaseState,
  canView,
  isBureau,
  permissionError,
} from './domain/case-lifecycle';
import {
  CASE_STATUS_LABELS,
  CaseStatus,
  CHANNELS,
  DEADLINE_KINDS,
  DEADLINE_LABELS,
  DeadlineKind,
  DUTY_DEADLINES,
  OPEN_STATUSES,
  PetitionChannel,
} from './domain/case-status';
import { buildCaseCard, CaseCardLink } from './case-cards';
import { validatePhone } from '../platform/personal-data/phone';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/feature';
import { CaseEventRow, CaseRow, CaseStore, DeadlineRow } from './case-store';
import { nextCounterValue } from '../platform/database/counter-store';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import type { User } from '../platform/directory/user-store';

export interface NewCaseInput {
  name: string; // 信访人姓名, trimmed
  idNumber: string | null; // 18 chars, already validated, upper-case X
  phone: string | null; // mobile or landline, already validated
  address: string | null;
  headcount: number; // >= 1
  channel: PetitionChannel; // 来信 | 来访 | 网上信访 | 电话 | 领导接访
  town: string; // 问题属地 from config/reference.json towns
  category: string; // 问题类别 from config/reference.json categories
  purpose: string | null; // 信访目的, optional
  content: string; // 事项内容
  receivedAt: Date; // 登记时间 (instant); its Shanghai date triggers the periods
  sessionId: number | null; // reception session (sessions.id) when logged at one
  registeredBy: string; // users.id
}

export interface DeadlineView {
  kind: DeadlineKind;
  label: string;
  dueDate: string;
  status: 'open' | 'met' | 'void';
  provisional: boolean;
  /** Working days from today to the due day, for open deadlines (negative: overdue); null otherwise. */
  daysLeft: number | null;
}

/**
 * A case as services hand it out: the stored row with its status label, without the row's own
 * bookkeeping times. (The contract's fields, plus the dates each legal period starts from.)
 */
export interface CaseRecord extends Omit<CaseRow, 'createdAt' | 'updatedAt'> {
  statusLabel: string;
}

/** Formats a per-year case number: 2026-000123. */
export function formatCaseNo(year: number, n: number): string {
  return `${year}-${String(n).padStart(6, '0')}`;
}

/** Reads what a person typed as a case number ('2026-123', '2026-000123') into the stored form, or null. */
export function parseCaseNo(s: string): string | null {
  const m = /^\s*(\d{4})\s*[-－—]\s*(\d{1,6})\s*$/.exec(s);
  if (!m || Number(m[2]) === 0) return null;
  return formatCaseNo(Number(m[1]), Number(m[2]));
}

export function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    caseNo: r.caseNo,
    year: r.year,
    status: r.status,
    statusLabel: CASE_STATUS_LABELS[r.status] ?? r.status,
    name: r.name,
    idNumber: r.idNumber,
    phone: r.phone,
    address: r.address,
    headcount: r.headcount,
    isGroup: r.isGroup,
    channel: r.channel,
    town: r.town,
    category: r.category,
    purpose: r.purpose,
    content: r.content,
    receivedAt: r.receivedAt,
    receivedDate: r.receivedDate,
    unit: r.unit,
    transferTo: r.transferTo,
    leaderId: r.leaderId,
    supervised: r.supervised,
    sessionId: r.sessionId,
    acceptedDate: r.acceptedDate,
    repliedDate: r.repliedDate,
    extensionDays: r.extensionDays,
    replySummary: r.replySummary,
    registeredBy: r.registeredBy,
    decidedDate: r.decidedDate,
    assignedDate: r.assignedDate,
    decisionReason: r.decisionReason,
    reviewRequestedDate: r.reviewRequestedDate,
    reviewRepliedDate: r.reviewRepliedDate,
    recheckRequestedDate: r.recheckRequestedDate,
    recheckRepliedDate: r.recheckRepliedDate,
  };
}

/** One case with everything a card or `cases show` needs. */
export interface CaseDetail {
  record: CaseRecord;
  deadlines: DeadlineView[];
  links: Array<{ record: CaseRecord; reason: string }>;
  leaderName: string | null;
}

export interface CaseView extends CaseDetail {
  /** The actions the viewer may take now (the card's buttons). */
  actions: CaseAction[];
}

export interface TransitionOutcome {
  record: CaseRecord;
  from: CaseStatus;
  to: CaseStatus;
  action: CaseAction;
  /** Things the person should know (e.g. the unit has no group yet). */
  warnings: string[];
}

export interface CaseListEntry {
  record: CaseRecord;
  /** The open deadline that matters now (the earliest), if any. */
  next: DeadlineView | null;
  /** 包案领导's name. */
  leaderName: string | null;
}

export interface AuditEntry {
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: string;
  actorName: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

/** What the bureau must still do for a case in a given state ("我的待办" of staff). */
const BUREAU_TODO: readonly CaseStatus[] = ['registered', 'review', 'recheck'];
const UNIT_TODO: readonly CaseStatus[] = ['assigned', 'handling'];

/**
 * A case's life on the server: registration with its number, deadlines and links, the
 * transitions (checked against the user and the case's present state), and the views.
 */
export class CaseService {
  protected readonly store: CaseStore;

  constructor(protected readonly core: Core) {
    this.store = new CaseStore(core.db);
  }

  /** The calendar as the pure deadline code takes it. */
  protected readonly period: PeriodFn = (trigger, days) => {
    const r = this.core.calendar.periodEnd(trigger, days);
    return { lastDay: r.lastDay, provisional: r.provisional };
  };

  /** Whether a day is a working day, estimating from weekends outside the known years. */
  protected isWorkingDay = (d: IsoDate): boolean => {
    return this.core.calendar.calendar.isWorkingDayOrEstimate(d);
  };

  /**
   * Numbers the case per year, inserts it as 'registered', stores its deadlines, the audit row and
   * the links to earlier cases of the same petitioner, all in one transaction.
   */
  async register(input: NewCaseInput): Promise<{ record: CaseRecord; linked: CaseRecord[] }> {
    const name = (input.name ?? '').trim();
    if (!name) throw new UserError('信访人姓名不能为空');
    if (!Number.isInteger(input.headcount) || input.headcount < 1) throw new UserError('人数必须是正整数');
    if (!(CHANNELS as readonly string[]).includes(input.channel)) throw new UserError(`信访形式“${input.channel}”无效`);
    if (!(input.receivedAt instanceof Date) || Number.isNaN(input.receivedAt.getTime())) throw new UserError('登记时间无效');
    if (!input.content?.trim()) throw new UserError('事项内容不能为空');

    const receivedDate = shanghaiDate(input.receivedAt);
    const year = Number(receivedDate.slice(0, 4));
    const now = this.core.now();
    const isGroup = input.headcount >= this.core.config.GROUP_VISIT_THRESHOLD;

    const { id, linkedIds } = await runTransaction(this.core.db, async (trx) => {
      const seq = await nextCounterValue(trx, `case:${year}`);
      const caseNo = formatCaseNo(year, seq);
      const row = {
        caseNo, year, status: 'registered' as const, name,
        idNumber: input.idNumber ?? null, phone: input.phone ?? null, address: input.address ?? null,
        headcount: input.headcount, isGroup, channel: input.channel, town: input.town, category: input.category,
        purpose: input.purpose ?? null, content: input.content, receivedAt: input.receivedAt, receivedDate,
        unit: null, transferTo: null, leaderId: null, supervised: false, sessionId: input.sessionId ?? null,
        acceptedDate: null, repliedDate: null, extensionDays: null, replySummary: null, registeredBy: input.registeredBy,
        decidedDate: null, assignedDate: null, decisionReason: null, reviewRequestedDate: null, reviewRepliedDate: null,
        recheckRequestedDate: null, recheckRepliedDate: null,
      };
      const caseId = await this.store.insert(trx, row, now);
      await this.store.saveDeadlines(trx, caseId, computeDeadlines({ ...row }, this.period), now);
      const earlier = await this.store.findSamePetitioner(trx, { idNumber: row.idNumber, name, phone: row.phone, beforeId: caseId });
      await this.store.addLinks(trx, earlier.map((e) => ({ caseId, linkedCaseId: e.row.id, reason: e.reason })));
      await this.store.addEvent(trx, {
        caseId, action: 'register', fromStatus: null, toStatus: 'registered', actorId: input.registeredBy, at: now,
        data: { channel: input.channel, headcount: input.headcount, linked: earlier.map((e) => e.row.caseNo) },
      });
      return { id: caseId, linkedIds: earlier.map((e) => e.row.id) };
    });

    const record = toRecord((await this.store.getById(id))!);
    const linkedRows = await this.store.getManyById(linkedIds);
    const linked = linkedRows
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.id - a.id)
      .map(toRecord);
    return { record, linked };
  }

  async getByNo(caseNo: string): Promise<CaseRecord | null> {
    const no = parseCaseNo(caseNo);
    if (!no) return null;
    const r = await this.store.getByNo(no);
    return r ? toRecord(r) : null;
  }

  async getById(id: number): Promise<CaseRecord | null> {
    const r = await this.store.getById(id);
    return r ? toRecord(r) : null;
  }

  /** The case's stored deadlines, with working days left for the open ones (as of core.now()). */
  async deadlines(caseId: number): Promise<DeadlineView[]> {
    const today = shanghaiDate(this.core.now());
    return (await this.store.deadlines(caseId)).map((d) => this.toView(d, today));
  }

  // --- people and scope ---------------------------------------------------------------------

  /** The user as the lifecycle's rules see them: a leader's towns include their 接访 towns. */
  async actorFor(user: User, db: Knex | Knex.Transaction = this.core.db): Promise<Actor> {
    const towns = new Set<string>();
    if (user.town) towns.add(user.town);
    if (user.role === 'leader') {
      const row = await db('leaders').where({ id: user.id }).first('towns');
      if (row?.towns) {
        try {
          const list = JSON.parse(row.towns);
          if (Array.isArray(list)) for (const t of list) if (typeof t === 'string') towns.add(t);
        } catch {
          // A malformed towns column only narrows what the leader sees.
        }
      }
    }
    return { id: user.id, role: user.role, unit: user.unit, towns: [...towns] };
  }

  /** 承办单位 to pick from when 交办 (config/reference.json). */
  units(): string[] {
    return this.core.reference().units;
  }

  /** Users with the role leader, for 包案. */
  async leaders(): Promise<User[]> {
    return this.core.users.listByRole('leader');
  }

  // --- transitions ---------------------------------------------------------------------------

  /**
   * Takes an action on a case for a user. The user's role and the case's present state are read
   * again inside the transaction (with the row locked), whatever the card said. The change, the
   * recomputed deadlines, the audit row and any message it causes are written together.
   */
  async transition(caseNo: string, cmd: CaseCommand, user: User): Promise<TransitionOutcome> {
    const no = parseCaseNo(String(caseNo ?? ''));
    if (!no) throw new UserError(`案件编号“${String(caseNo ?? '')}”无效，应形如 2026-000123`);
    const actor = await this.actorFor(user);
    const now = this.core.now();
    const today = shanghaiDate(now);
    const warnings: string[] = [];

    // Input that depends on other data is checked before the transaction.
    if (cmd.action === 'assign') {
      const unit = String(cmd.unit ?? '').trim();
      if (unit && !this.units().includes(unit)) throw new UserError(`承办单位“${unit}”不在单位名录中（config/reference.json），请从列表中选择`);
    }
    let leader: User | null = null;
    if (cmd.action === 'own') {
      leader = cmd.leaderId ? await this.core.users.get(String(cmd.leaderId)) : null;
      if (cmd.leaderId && (!leader || leader.role !== 'leader')) throw new UserError('所选包案领导不存在或不是领导角色，请从列表中选择');
    }

    const result = await runTransaction(this.core.db, async (trx) => {
      warnings.length = 0; // a retried transaction starts over
      const row = await this.store.lockByNo(trx, no);
      if (!row) throw new NotFoundError(`没有编号为 ${no} 的案件`);
      const denied = permissionError(actor, row, cmd.action);
      if (denied) throw new ForbiddenError(denied);
      const deadlineRows = await this.store.deadlines(row.id, trx);
      const r = applyTransition(stateOf(row, deadlineRows), cmd, today);
      if (!r.ok) throw new UserError(r.error);

      if (!(await this.store.update(trx, row.id, row.status, r.change, now))) {
        throw new UserError(`案件 ${no} 刚被他人更新，请重新查询后再操作`);
      }
      const updated = (await this.store.getById(row.id, trx))!;
      await this.store.saveDeadlines(trx, row.id, computeDeadlines(updated, this.period), now);
      await this.store.addEvent(trx, {
        caseId: row.id, action: cmd.action, fromStatus: r.from, toStatus: r.to, actorId: user.id, reason: r.reason, data: r.data, at: now,
      });
      await this.notify(trx, cmd.action, updated, leader, now, warnings);
      return { id: row.id, from: r.from, to: r.to };
    });

    const record = toRecord((await this.store.getById(result.id))!);
    return { record, from: result.from, to: result.to, action: cmd.action, warnings };
  }

  /**
   * Whether the user may take this action on the case now, before asking them for input (a form):
   * throws the same refusal the transition would, minus the input checks.
   */
  async precheck(caseNo: string, action: CaseAction, user: User): Promise<CaseRecord> {
    const no = parseCaseNo(String(caseNo ?? ''));
    if (!no) throw new UserError(`案件编号“${String(caseNo ?? '')}”无效，应形如 2026-000123`);
    const row = await this.store.getByNo(no);
    if (!row) throw new NotFoundError(`没有编号为 ${no} 的案件`);
    const actor = await this.actorFor(user);
    const denied = permissionError(actor, row, action);
    if (denied) throw new ForbiddenError(denied);
    const placeholder = { action, reason: '-', organ: '-', unit: '-', days: 1, summary: '-', note: '-', leaderId: '\u0000' } as CaseCommand;
    const r = applyTransition(stateOf(row, await this.store.deadlines(row.id)), placeholder, shanghaiDate(this.core.now()));
    if (!r.ok) throw new UserError(r.error);
    return toRecord(row);
  }

  /** Messages a transition causes, queued in its transaction. */
  private async notify(trx: Knex.Transaction, action: CaseAction, row: CaseRow, leader: User | null, now: Date, warnings: string[]): Promise<void> {
    const today = shanghaiDate(now);
    if ((action === 'assign' || action === 'supervise') && row.unit) {
      const unitActor: Actor = { id: `unit:${row.unit}`, role: 'unit', unit: row.unit, towns: [] };
      const note = action === 'assign'
        ? `新交办案件：请在期限内受理并书面告知信访人（《信访工作条例》第二十三条）`
        : `该案件已被挂牌督办，请按期办结并书面报告办理结果`;
      const content = await this.cardJson(trx, row, unitActor, today, note);
      const chats = await trx('chats').where({ unit: row.unit }).orderBy('id');
      const source = `case:${row.caseNo}:${action}`;
      if (chats.length) {
        for (const ch of chats) {
          await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: ch.id, msgType: 'interactive', content, source }, now);
        }
      } else {
        // No group yet: each user of the unit gets it in person, so the case is not lost.
        const people = await trx('users').where({ role: 'unit', unit: row.unit }).orderBy('id');
        for (const p of people) {
          await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: p.id, msgType: 'interactive', content, source }, now);
        }
        warnings.push(
          people.length
            ? `${row.unit}还没有登记工作群，已改为逐一发给该单位的 ${people.length} 位用户。请用 xinfang chats add --unit 登记该单位的群。`
            : `${row.unit}还没有登记工作群，也没有该单位的用户，交办卡片无人接收。请用 xinfang chats add --unit 登记该单位的群。`,
        );
      }
    }
    if (action === 'own' && leader) {
      const leaderActor = await this.actorFor(leader, trx);
      const content = await this.cardJson(trx, row, leaderActor, today, `您已被确定为本案的包案领导（《信访工作条例》第十八条）`);
      await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: leader.id, msgType: 'interactive', content, source: `case:${row.caseNo}:own` }, now);
    }
  }

  /** A masked card of the case for someone who is not in the conversation (a group, a leader). */
  private async cardJson(trx: Knex.Transaction, row: CaseRow, viewer: Actor, today: IsoDate, note: string): Promise<Record<string, unknown>> {
    const deadlines = (await this.store.deadlines(row.id, trx)).map((d) => this.toView(d, today));
    const links = (await this.store.links(row.id, trx)).map((l) => linkOf(toRecord(l.row)));
    const leaderName = row.leaderId ? ((await trx('users').where({ id: row.leaderId }).first('name'))?.name ?? null) : null;
    const actions = availableActions(viewer, stateOf(row, await this.store.deadlines(row.id, trx)), today);
    return buildCaseCard(toRecord(row), { deadlines, links, actions, reveal: false, leaderName, note });
  }

  // --- views ---------------------------------------------------------------------------------

  /** The case, its deadlines, links and owner, with no access check (CLI, services). */
  async detail(caseNo: string): Promise<CaseDetail | null> {
    const no = parseCaseNo(caseNo);
    const row = no ? await this.store.getByNo(no) : null;
    if (!row) return null;
    const today = shanghaiDate(this.core.now());
    const deadlines = (await this.store.deadlines(row.id)).map((d) => this.toView(d, today));
    const links = (await this.store.links(row.id)).map((l) => ({ record: toRecord(l.row), reason: l.reason }));
    const leaderName = row.leaderId ? ((await this.core.users.get(row.leaderId))?.name ?? null) : null;
    return { record: toRecord(row), deadlines, links, leaderName };
  }

  /** One case as a user may see it, with the actions they may take; refuses a case they may not see. */
  async view(caseNo: string, user: User): Promise<CaseView> {
    const no = parseCaseNo(String(caseNo ?? ''));
    if (!no) throw new UserError(`案件编号“${String(caseNo ?? '')}”无效，应形如 2026-000123`);
    const d = await this.detail(no);
    const actor = await this.actorFor(user);
    // The same answer whether it does not exist or is not theirs: a unit learns nothing of others' cases.
    if (!d || !canView(actor, d.record)) throw new NotFoundError(`没有找到您可查看的案件 ${no}`);
    const rows = await this.store.deadlines(d.record.id);
    const actions = availableActions(actor, stateOf(d.record, rows), shanghaiDate(this.core.now()));
    return { ...d, actions };
  }

  /** The audit trail, oldest first, with the actors' names. */
  async auditTrail(caseId: number): Promise<AuditEntry[]> {
    const events: CaseEventRow[] = await this.store.events(caseId);
    const ids = [...new Set(events.map((e) => e.actorId))];
    const names = new Map<string, string>();
    if (ids.length) for (const u of await this.core.db('users').whereIn('id', ids)) names.set(u.id, u.name);
    return events.map((e) => ({
      action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorName: names.get(e.actorId) ?? null,
      reason: e.reason, data: e.data, at: e.at,
    }));
  }

  /** Every case, newest first, optionally in one status (CLI). */
  async list(opts: { status?: CaseStatus; limit?: number } = {}): Promise<CaseListEntry[]> {
    return this.withNext(await this.store.list({ status: opts.status, limit: opts.limit }));
  }

  /**
   * 查询: by case number, by the last four characters of the ID number, or by the name; only the
   * cases the user may see.
   */
  async search(user: User, query: string): Promise<CaseListEntry[]> {
    const q = query.trim();
    if (!q) throw new UserError('请告诉我要查询什么：案件编号、信访人姓名、身份证号（或后四位）或电话，例如“查询 2026-000123”');
    if (q.length > 64) throw new UserError('查询内容过长，请输入案件编号、信访人姓名或身份证后四位');
    const actor = await this.actorFor(user);
    const no = parseCaseNo(q);
    let rows: CaseRow[];
    if (no) {
      const r = await this.store.getByNo(no);
      rows = r ? [r] : [];
    } else if (/^\d{3}[\dXx]$/.test(q)) {
      rows = await this.store.list({ idSuffix: q.toUpperCase(), ...this.scopeFilter(actor), limit: 200 });
    } else if (/^\d{17}[\dXx]$/.test(q)) {
      // A clerk holding the ID card types the whole number.
      rows = await this.store.list({ idNumber: q.toUpperCase(), ...this.scopeFilter(actor), limit: 200 });
    } else if (/^[\d\s+()-]{7,20}$/.test(q) && validatePhone(q).ok) {
      // Stored phones are normalized by the same validator, so any way of typing one finds it.
      rows = await this.store.list({ phone: (validatePhone(q) as { value: string }).value, ...this.scopeFilter(actor), limit: 200 });
    } else {
      rows = await this.store.list({ name: q, ...this.scopeFilter(actor), limit: 200 });
    }
    return this.withNext(rows.filter((r) => canView(actor, r)));
  }

  /** 我的待办: what waits on this user or their unit, most urgent first. */
  async todo(user: User): Promise<CaseListEntry[]> {
    const actor = await this.actorFor(user);
    let rows: CaseRow[];
    if (isBureau(actor)) {
      const waiting = await this.store.list({ status: BUREAU_TODO });
      const ownHandling = await this.store.list({ status: 'handling', unit: null });
      rows = [...waiting, ...ownHandling];
    } else if (actor.role === 'unit') {
      rows = actor.unit ? await this.store.list({ status: UNIT_TODO, unit: actor.unit }) : [];
    } else {
      rows = await this.store.list({ status: OPEN_STATUSES, leaderOrTowns: { leaderId: actor.id, towns: actor.towns } });
    }
    return sortByUrgency(await this.withNext(rows.filter((r) => canView(actor, r))));
  }

  /** 逾期: cases with a duty deadline passed, or due within `withinWorkingDays` working days, that the user may see. */
  async overdue(user: User, withinWorkingDays = 3): Promise<{ overdue: CaseListEntry[]; dueSoon: CaseListEntry[]; until: IsoDate }> {
    const actor = await this.actorFor(user);
    const today = shanghaiDate(this.core.now());
    let until = today;
    for (let left = withinWorkingDays; left > 0; ) {
      until = addDays(until, 1);
      if (this.isWorkingDay(until)) left--;
    }
    const due = await this.store.openDeadlinesDueBy(until, DUTY_DEADLINES);
    const rows = (await this.store.getManyById([...new Set(due.map((d) => d.caseId))])).filter((r) => canView(actor, r));
    const entries = sortByUrgency(await this.withNext(rows));
    return {
      overdue: entries.filter((e) => e.next && e.next.dueDate < today),
      dueSoon: entries.filter((e) => e.next && e.next.dueDate >= today),
      until,
    };
  }

  private scopeFilter(actor: Actor): { unit?: string; leaderOrTowns?: { leaderId: string; towns: readonly string[] } } {
    if (isBureau(actor)) return {};
    if (actor.role === 'unit') return { unit: actor.unit ?? '\u0000' };
    return { leaderOrTowns: { leaderId: actor.id, towns: actor.towns } };
  }

  private async withNext(rows: CaseRow[]): Promise<CaseListEntry[]> {
    const today = shanghaiDate(this.core.now());
    const all = await this.store.deadlinesOf(rows.map((r) => r.id));
    const leaderIds = [...new Set(rows.map((r) => r.leaderId).filter((x): x is string => x !== null))];
    const names = new Map<string, string>();
    if (leaderIds.length) for (const u of await this.core.db('users').whereIn('id', leaderIds)) names.set(u.id, u.name);
    return rows.map((r) => {
      const open = (all.get(r.id) ?? []).filter((d) => d.status === 'open' && DUTY_DEADLINES.includes(d.kind));
      open.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
      return { record: toRecord(r), next: open.length ? this.toView(open[0], today) : null, leaderName: r.leaderId ? (names.get(r.leaderId) ?? r.leaderId) : null };
    });
  }

  protected toView(d: { kind: DeadlineKind; dueDate: string; status: 'open' | 'met' | 'void'; provisional: boolean }, today: IsoDate): DeadlineView {
    return {
      kind: d.kind,
      label: DEADLINE_LABELS[d.kind] ?? d.kind,
      dueDate: d.dueDate,
      status: d.status,
      provisional: d.provisional,
      daysLeft: d.status === 'open' ? workingDaysLeft(today, d.dueDate, this.isWorkingDay) : null,
    };
  }

}

/** The machine's view of a case: its state and the deadlines that bound its next steps. */
export function stateOf(
  r: Pick<CaseRecord, 'caseNo' | 'status' | 'unit' | 'leaderId' | 'supervised' | 'extensionDays' | 'town'>,
  deadlines: Array<Pick<DeadlineRow, 'kind' | 'dueDate' | 'status'>>,
): CaseState & { town: string } {
  const open = (k: DeadlineKind) => deadlines.find((d) => d.kind === k && d.status === 'open')?.dueDate ?? null;
  return {
    caseNo: r.caseNo, status: r.status, unit: r.unit, leaderId: r.leaderId, supervised: r.supervised, extensionDays: r.extensionDays,
    town: r.town, conclusionDue: open('conclusion'), reviewRequestDue: open('review_request'), recheckRequestDue: open('recheck_request'),
  };
}

export function linkOf(r: CaseRecord): CaseCardLink {
  return { caseNo: r.caseNo, statusLabel: r.statusLabel, receivedDate: r.receivedDate, category: r.category };
}

function sortByUrgency(list: CaseListEntry[]): CaseListEntry[] {
  return [...list].sort((a, b) => {
    const da = a.next?.dueDate ?? '9999-12-31';
    const dbb = b.next?.dueDate ?? '9999-12-31';
    return da.localeCompare(dbb) || a.record.caseNo.localeCompare(b.record.caseNo);
  });
}

/** Orders deadline kinds as the law's sequence. */
export const deadlineOrder = (k: DeadlineKind) => DEADLINE_KINDS.indexOf(k);
