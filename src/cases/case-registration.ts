import { shanghaiDate } from '../platform/calendar/domain';
import { runTransaction } from '../platform/database/transaction';
import { UserError } from '../platform/errors/user-error';
import { computeDeadlines } from './domain/case-deadlines';
import { CHANNELS, PetitionChannel } from './domain/case-status';
import { ANONYMOUS_NAME, anonymousRefusal, isAnonymousName } from './domain/anonymous-petition';
import { findEarlierCases } from './queries/repeat-candidates';
import { nextCaseNo } from './case-number';
import { CaseRecord, toRecord } from './case-records';
import { Db, NewCaseRow, newestFirst } from './case-store';
import type { CaseContext } from './case-context';

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
  /**
   * 匿名 or 身份不明 (no ID number, no phone), only for 来信/网上信访/电话 (domain/anonymous-petition.ts).
   * Omitted: true when the name says 匿名, false otherwise (the intake decides for the rest).
   */
  anonymous?: boolean;
}

/** Whether the new case is marked anonymous. */
const anonymousOf = (input: NewCaseInput) => input.anonymous === true || isAnonymousName(input.name);

/** Refuses input the services cannot store (the intake form checks it first, in detail). */
function checkNewCase(input: NewCaseInput): void {
  if (!(input.name ?? '').trim()) throw new UserError('信访人姓名不能为空');
  if (!Number.isInteger(input.headcount) || input.headcount < 1) throw new UserError('人数必须是正整数');
  if (!(CHANNELS as readonly string[]).includes(input.channel)) throw new UserError(`信访形式“${input.channel}”无效`);
  if (!(input.receivedAt instanceof Date) || Number.isNaN(input.receivedAt.getTime())) throw new UserError('登记时间无效');
  if (!input.content?.trim()) throw new UserError('事项内容不能为空');
  if (anonymousOf(input)) {
    const refused = anonymousRefusal({ ...input, idNumber: null, phone: null });
    if (refused) throw new UserError(refused.reason);
  }
}

/** The row of a new case: status 'registered', nothing decided yet. */
function newCaseRow(input: NewCaseInput, caseNo: string, receivedDate: string, isGroup: boolean): NewCaseRow {
  const anonymous = anonymousOf(input);
  return {
    caseNo, year: Number(receivedDate.slice(0, 4)), status: 'registered', name: isAnonymousName(input.name) ? ANONYMOUS_NAME : input.name.trim(), anonymous,
    idNumber: input.idNumber ?? null, phone: input.phone ?? null, address: input.address ?? null,
    headcount: input.headcount, isGroup, channel: input.channel, town: input.town, category: input.category,
    purpose: input.purpose ?? null, content: input.content, receivedAt: input.receivedAt, receivedDate,
    unit: null, transferTo: null, leaderId: null, supervised: false, sessionId: input.sessionId ?? null,
    acceptedDate: null, repliedDate: null, extensionDays: null, replySummary: null, registeredBy: input.registeredBy,
    decidedDate: null, assignedDate: null, decisionReason: null, reviewRequestedDate: null, reviewRepliedDate: null,
    recheckRequestedDate: null, recheckRepliedDate: null,
  };
}

/** 登记: a new case with its number, its first deadlines, its audit row and its links to earlier cases. */
export class CaseRegistration {
  constructor(private readonly c: CaseContext) {}

  /**
   * Numbers the case per year, inserts it as 'registered', stores its deadlines, the audit row and
   * the links to earlier cases of the same petitioner, all in one transaction.
   */
  async register(input: NewCaseInput): Promise<{ record: CaseRecord; linked: CaseRecord[] }> {
    checkNewCase(input);
    const receivedDate = shanghaiDate(input.receivedAt);
    const now = this.c.core.now();
    const isGroup = input.headcount >= this.c.core.config.GROUP_VISIT_THRESHOLD;
    const { id, linkedIds } = await runTransaction(this.c.core.db, async (trx) => {
      const row = newCaseRow(input, await nextCaseNo(trx, Number(receivedDate.slice(0, 4))), receivedDate, isGroup);
      return this.insert(trx, row, input, now);
    });
    const record = toRecord((await this.c.cases.getById(id))!);
    const linked = (await this.c.cases.getManyById(linkedIds)).sort(newestFirst).map(toRecord);
    return { record, linked };
  }

  /** The case, its deadlines, its links to the same petitioner's earlier cases and the audit row. */
  private async insert(trx: Db, row: NewCaseRow, input: NewCaseInput, now: Date): Promise<{ id: number; linkedIds: number[] }> {
    const caseId = await this.c.cases.insert(trx, row, now);
    await this.c.core.calendar.ensureCurrent(trx);
    await this.c.deadlines.save(trx, caseId, computeDeadlines({ ...row }, this.c.period), now);
    const earlier = await findEarlierCases(this.c.cases, trx, {
      idNumber: row.idNumber, name: row.name, phone: row.phone, anonymous: row.anonymous === true, content: row.content, town: row.town,
      category: row.category, receivedDate: row.receivedDate, beforeId: caseId,
    });
    await this.c.links.add(trx, earlier.map((e) => ({ caseId, linkedCaseId: e.row.id, reason: e.reason })));
    await this.c.events.add(trx, {
      caseId, action: 'register', fromStatus: null, toStatus: 'registered', actorId: input.registeredBy, at: now,
      data: {
        channel: input.channel, headcount: input.headcount, linked: earlier.map((e) => e.row.caseNo),
        ...(row.anonymous ? { anonymous: true, similar: earlier.filter((e) => e.reason === 'content').map((e) => e.row.caseNo) } : {}),
      },
    });
    return { id: caseId, linkedIds: earlier.map((e) => e.row.id) };
  }
}
