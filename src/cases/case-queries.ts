import { addDays, IsoDate } from '../platform/calendar/domain';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { User } from '../platform/directory/user-store';
import { validatePhone } from '../platform/personal-data/phone';
import { availableActions, canView, isBureau } from './domain/case-access';
import { auditLabel } from './domain/audit-labels';
import { petitionerUnreachable } from './domain/anonymous-petition';
import { CaseStatus, DUTY_DEADLINES, OPEN_STATUSES } from './domain/case-status';
import { parseCaseNo, requireCaseNo } from './case-number';
import {
  AuditEntry, CaseDetail, CaseListEntry, CaseRecord, CaseView, DeadlineView, sortByUrgency, stateOf, toDeadlineView, toRecord,
} from './case-records';
import type { CaseFilter, CaseRow } from './case-store';
import { CaseContext, scopeFilter } from './case-context';

/** An audit entry with its sentence (domain/audit-labels.ts). */
export type LabelledAuditEntry = AuditEntry & { label: string };

/** What the bureau must still do for a case in a given state ("我的待办" of staff). */
const BUREAU_TODO: readonly CaseStatus[] = ['registered', 'review', 'recheck'];
const UNIT_TODO: readonly CaseStatus[] = ['assigned', 'handling'];

/** The store filter of a 查询 text: a case number, the ID number or its last four, a phone, or a name. */
function searchFilter(q: string): { caseNo: string } | CaseFilter {
  const no = parseCaseNo(q);
  if (no) return { caseNo: no };
  if (/^\d{3}[\dXx]$/.test(q)) return { idSuffix: q.toUpperCase() };
  // A clerk holding the ID card types the whole number.
  if (/^\d{17}[\dXx]$/.test(q)) return { idNumber: q.toUpperCase() };
  // Stored phones are normalized by the same validator, so any way of typing one finds it.
  const phone = /^[\d\s+()-]{7,20}$/.test(q) ? validatePhone(q) : null;
  if (phone?.ok) return { phone: phone.value };
  return { name: q };
}

/** Reading cases: one case, its deadlines and audit trail, 查询, 我的待办, 逾期 and the CLI's list. */
export class CaseQueries {
  constructor(private readonly c: CaseContext) {}

  async getByNo(caseNo: string): Promise<CaseRecord | null> {
    const no = parseCaseNo(caseNo);
    if (!no) return null;
    const r = await this.c.cases.getByNo(no);
    return r ? toRecord(r) : null;
  }

  /** The case's stored deadlines, with working days left for the open ones (as of core.now()). */
  async deadlines(caseId: number): Promise<DeadlineView[]> {
    const today = this.c.today();
    return (await this.c.deadlines.ofCase(caseId)).map((d) => toDeadlineView(d, today, this.c.isWorkingDay));
  }

  /** The case a person registered last, if after `since` (a 确认 sent again after the save). */
  async lastRegisteredBy(userId: string, since: Date): Promise<{ caseNo: string; createdAt: Date } | null> {
    return this.c.cases.lastRegisteredBy(userId, since);
  }

  /** The case, its deadlines, links and owner, with no access check (CLI, services). */
  async detail(caseNo: string): Promise<CaseDetail | null> {
    const no = parseCaseNo(caseNo);
    const row = no ? await this.c.cases.getByNo(no) : null;
    if (!row) return null;
    const deadlines = await this.deadlines(row.id);
    const links = (await this.c.links.ofCase(row.id)).map((l) => ({ record: toRecord(l.row), reason: l.reason }));
    const leaderName = row.leaderId ? ((await this.c.core.users.get(row.leaderId))?.name ?? null) : null;
    return { record: toRecord(row), deadlines, links, leaderName };
  }

  /** One case as a user may see it, with the actions they may take; refuses a case they may not see. */
  async view(caseNo: string, user: User): Promise<CaseView> {
    const no = requireCaseNo(caseNo);
    const d = await this.detail(no);
    const actor = await this.c.actorFor(user);
    // The same answer whether it does not exist or is not theirs: a unit learns nothing of others' cases.
    if (!d || !canView(actor, d.record)) throw new NotFoundError(`没有找到您可查看的案件 ${no}`);
    const rows = await this.c.deadlines.ofCase(d.record.id);
    const actions = availableActions(actor, stateOf(d.record, rows), this.c.today());
    return { ...d, actions };
  }

  /**
   * The audit trail, oldest first, with the actors' names and each entry as a sentence (label).
   * `short`: this year's dates without the year (a card); otherwise every date with it (CLI, JSON).
   */
  async auditTrail(caseId: number, opts: { short?: boolean } = {}): Promise<LabelledAuditEntry[]> {
    const events = await this.c.events.ofCase(caseId);
    const leaderIds = events.map((e) => e.data?.leaderId).filter((x): x is string => typeof x === 'string');
    const users = await this.c.core.users.getMany([...new Set([...events.map((e) => e.actorId), ...leaderIds])]);
    const today = opts.short ? this.c.today() : undefined;
    const nameOf = (id: string) => users.get(id)?.name ?? null;
    const row = await this.c.cases.getById(caseId);
    const unreachable = row ? petitionerUnreachable(row) : false;
    return events.map((e) => {
      const entry: AuditEntry = {
        action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorName: users.get(e.actorId)?.name ?? null,
        reason: e.reason, data: e.data, at: e.at,
      };
      return { ...entry, label: auditLabel(entry, { today, nameOf, unreachable }) };
    });
  }

  /** Every case, newest first, optionally in one status (CLI). */
  async list(opts: { status?: CaseStatus; limit?: number } = {}): Promise<CaseListEntry[]> {
    return this.withNext(await this.c.cases.list({ status: opts.status, limit: opts.limit }));
  }

  /**
   * 查询: by case number, by the last four characters of the ID number, or by the name; only the
   * cases the user may see.
   */
  async search(user: User, query: string): Promise<CaseListEntry[]> {
    const q = query.trim();
    if (!q) throw new UserError('请告诉我要查询什么：案件编号、信访人姓名、身份证号（或后四位）或电话，例如“查询 2026-000123”');
    if (q.length > 64) throw new UserError('查询内容过长，请输入案件编号、信访人姓名或身份证后四位');
    const actor = await this.c.actorFor(user);
    const filter = searchFilter(q);
    let rows: CaseRow[];
    if ('caseNo' in filter) {
      const r = await this.c.cases.getByNo(filter.caseNo);
      rows = r ? [r] : [];
    } else {
      rows = await this.c.cases.list({ ...filter, ...scopeFilter(actor), limit: 200 });
    }
    return this.withNext(rows.filter((r) => canView(actor, r)));
  }

  /** 我的待办: what waits on this user or their unit, most urgent first. */
  async todo(user: User): Promise<CaseListEntry[]> {
    const actor = await this.c.actorFor(user);
    let rows: CaseRow[];
    if (isBureau(actor)) {
      const waiting = await this.c.cases.list({ status: BUREAU_TODO });
      const ownHandling = await this.c.cases.list({ status: 'handling', unit: null });
      rows = [...waiting, ...ownHandling];
    } else if (actor.role === 'unit') {
      rows = actor.unit ? await this.c.cases.list({ status: UNIT_TODO, unit: actor.unit }) : [];
    } else {
      rows = await this.c.cases.list({ status: OPEN_STATUSES, leaderOrTowns: { leaderId: actor.id, towns: actor.towns } });
    }
    return sortByUrgency(await this.withNext(rows.filter((r) => canView(actor, r))));
  }

  /** 逾期: cases with a duty deadline passed, or due within `withinWorkingDays` working days, that the user may see. */
  async overdue(user: User, withinWorkingDays = 3): Promise<{ overdue: CaseListEntry[]; dueSoon: CaseListEntry[]; until: IsoDate }> {
    const actor = await this.c.actorFor(user);
    const today = this.c.today();
    let until = today;
    for (let left = withinWorkingDays; left > 0; ) {
      until = addDays(until, 1);
      if (this.c.isWorkingDay(until)) left--;
    }
    const due = await this.c.deadlines.openDueBy(until, DUTY_DEADLINES);
    const rows = (await this.c.cases.getManyById([...new Set(due.map((d) => d.caseId))])).filter((r) => canView(actor, r));
    const entries = sortByUrgency(await this.withNext(rows));
    return {
      overdue: entries.filter((e) => e.next && e.next.dueDate < today),
      dueSoon: entries.filter((e) => e.next && e.next.dueDate >= today),
      until,
    };
  }

  /** Each case with its most urgent open duty deadline and its 包案领导's name. */
  private async withNext(rows: CaseRow[]): Promise<CaseListEntry[]> {
    const today = this.c.today();
    const all = await this.c.deadlines.ofCases(rows.map((r) => r.id));
    const leaders = await this.c.core.users.getMany(rows.map((r) => r.leaderId).filter((x): x is string => x !== null));
    return rows.map((r) => {
      const open = (all.get(r.id) ?? []).filter((d) => d.status === 'open' && DUTY_DEADLINES.includes(d.kind));
      open.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
      return {
        record: toRecord(r),
        next: open.length ? toDeadlineView(open[0], today, this.c.isWorkingDay) : null,
        leaderName: r.leaderId ? (leaders.get(r.leaderId)?.name ?? r.leaderId) : null,
      };
    });
  }
}
