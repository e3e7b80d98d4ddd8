import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { runTransaction, runTurn } from '../platform/database/transaction';
import { inTurn, isAmbientDb } from '../platform/database/ambient-transaction';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import { IsoDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { CaseService, PetitionChannel } from '../cases';
import {
  canViewDispute, DisputeActor, disputeLists, DisputeLists, DisputeParty, escalateError, notInListError, openError, parseDisputeNo,
  resolutionError, resolveError, targetDateError,
} from './domain/dispute-rules';
import { disputeFigures, DisputeFigures, DisputePeriod } from './domain/dispute-figures';
import { DisputeEventRow, DisputeFilter, DisputeRecord, DisputeStore, NewDispute } from './dispute-store';

/** What 排查登记 (chat, CLI) gives; foundDate defaults to today. */
export interface NewDisputeInput {
  screening: string;
  source: string;
  foundDate?: IsoDate;
  town: string;
  category: string;
  summary: string;
  parties: DisputeParty[];
  risk: string;
  unit: string;
  owner: string;
  targetDate: IsoDate;
}

export const RESOLUTION_MAX = 500;

/** The channel a case made from a dispute is registered under, by where the dispute came from. */
const CHANNEL_OF_SOURCE: Record<string, PetitionChannel> = { 群诉平台: '网上信访', 来电: '电话', 来访: '来访', 网格: '来访', 其他: '来访' };

/**
 * The first words of a case made from a dispute: the case's side of the link. The cases capability
 * may not read the ledger (disputes → cases), so the case says where it came from in its content,
 * which `cases show` and the case card show.
 */
export function escalatedCaseNote(no: string, unit: string): string {
  return `【由矛盾纠纷 ${no} 转入（矛盾纠纷排查化解台账，责任单位：${unit}）】`;
}

export function actorOf(user: User): DisputeActor {
  return { id: user.id, role: user.role, unit: user.unit, town: user.town };
}

/**
 * The ledger's use cases: 登记, 销号, 转为信访事项, the views and the figures. Every write is one
 * transaction with its dispute_events row.
 */
export class DisputeService {
  readonly store: DisputeStore;

  constructor(
    private readonly core: Core,
    private readonly cases: CaseService = new CaseService(core),
  ) {
    this.store = new DisputeStore(core.db);
  }

  today(): IsoDate {
    return shanghaiDate(this.core.now());
  }

  /** The ledger's lists in force: config/reference.json's, else the defaults (domain/dispute-rules.ts). */
  lists(): DisputeLists {
    return disputeLists(this.core.reference());
  }

  /** What is wrong with a new dispute, each in Chinese (empty when it may be saved). */
  check(input: NewDisputeInput, today: IsoDate): string[] {
    const lists = this.lists();
    const errors: string[] = [];
    const inList = (v: string, list: readonly string[], label: string) => {
      if (!list.includes(v)) errors.push(notInListError(label, v, list));
    };
    inList(input.screening, lists.screeningTypes, '排查类型');
    inList(input.source, lists.sources, '来源');
    inList(input.town, lists.towns, '乡镇');
    inList(input.category, lists.categories, '纠纷类别');
    inList(input.risk, lists.riskLevels, '风险等级');
    inList(input.unit, lists.units, '责任单位');
    if (!input.summary?.trim()) errors.push('纠纷概要不能为空');
    if (!input.owner?.trim()) errors.push('责任人不能为空');
    if (!input.parties?.length || input.parties.some((p) => !p.name?.trim())) errors.push('至少填写一位当事人的姓名');
    const targetErr = targetDateError(input.targetDate, today);
    if (targetErr) errors.push(targetErr);
    if (input.foundDate && input.foundDate > today) errors.push(`排查日期 ${input.foundDate} 不能晚于今天`);
    return errors;
  }

  /** 排查登记: numbers the dispute in the year it was found and records it with its audit row. */
  async register(input: NewDisputeInput, user: User): Promise<DisputeRecord> {
    if (actorOf(user).role !== 'staff' && actorOf(user).role !== 'admin') throw new ForbiddenError('排查登记由信访局登记员或管理员办理');
    const now = this.core.now();
    const today = shanghaiDate(now);
    const errors = this.check(input, today);
    if (errors.length) throw new UserError(`未保存：${errors.join('；')}`);
    const foundDate = input.foundDate ?? today;
    const no = await runTransaction(this.core.db, async (trx) => {
      const n = await this.store.nextNo(trx, Number(foundDate.slice(0, 4)));
      const row: NewDispute & { no: string } = { ...input, no: n, foundDate, summary: input.summary.trim(), owner: input.owner.trim(), registeredBy: user.id };
      const id = await this.store.insert(trx, row, now);
      await this.store.addEvents(trx, [{ disputeId: id, action: 'register', fromStatus: null, toStatus: 'open', actorId: user.id, at: now, data: { unit: input.unit, targetDate: input.targetDate } }]);
      return n;
    });
    return (await this.store.getByNo(no))!;
  }

  /** The dispute a typed number names, if this person may see it. */
  async get(noText: string, user: User): Promise<DisputeRecord> {
    const no = parseDisputeNo(noText);
    if (!no) throw new UserError(`“${noText}”不是排查编号，编号形如 排2026-0001`);
    const d = await this.store.getByNo(no);
    if (!d) throw new NotFoundError(`没有找到排查编号 ${no}`);
    if (!canViewDispute(actorOf(user), d)) throw new ForbiddenError(`您无权查看 ${no}`);
    return d;
  }

  events(d: DisputeRecord): Promise<DisputeEventRow[]> {
    return this.store.events(d.id);
  }

  /** The ledger as this person may see it, newest first. */
  async list(filter: DisputeFilter, user: User): Promise<DisputeRecord[]> {
    const actor = actorOf(user);
    const scoped: DisputeFilter = { ...filter, ...(actor.role === 'unit' ? { unit: actor.unit ?? '\u0000' } : {}) };
    return (await this.store.list(scoped)).filter((d) => canViewDispute(actor, d));
  }

  /** 销号: the dispute is resolved, with how; only the bureau or its own unit. */
  async resolve(noText: string, resolution: string, user: User): Promise<DisputeRecord> {
    const d = await this.get(noText, user);
    const denied = resolveError(actorOf(user), d) ?? openError(d) ?? resolutionError(resolution, RESOLUTION_MAX);
    if (denied) throw new UserError(denied);
    const now = this.core.now();
    const text = resolution.trim();
    await runTransaction(this.core.db, async (trx) => {
      const closed = await this.store.close(trx, d.id, { status: 'resolved', closedDate: shanghaiDate(now), resolution: text, caseNo: null }, now);
      if (!closed) throw new UserError(`${d.no} 刚刚已被办理，请发送“排查台账 ${d.no}”查看`);
      await this.store.addEvents(trx, [{ disputeId: d.id, action: 'resolve', fromStatus: 'open', toStatus: 'resolved', actorId: user.id, at: now, data: { resolution: text } }]);
    });
    return (await this.store.getByNo(d.no))!;
  }

  /**
   * 未化解，转入信访事项: registers a case through the cases capability (the first party as the
   * petitioner, the summary as its content, naming the dispute) and links the dispute to it. One
   * transaction: a turn's, or one made here for the CLI.
   */
  async escalate(noText: string, user: User): Promise<{ dispute: DisputeRecord; caseNo: string }> {
    const d = await this.get(noText, user);
    const denied = escalateError(actorOf(user)) ?? openError(d);
    if (denied) throw new UserError(denied);
    const run = async () => {
      const now = this.core.now();
      const first = d.parties[0];
      const { record } = await this.cases.register({
        name: first.name, idNumber: first.idNumber, phone: first.phone, address: null, headcount: Math.max(1, d.parties.length),
        channel: CHANNEL_OF_SOURCE[d.source] ?? '来访', town: d.town, category: d.category, purpose: null,
        content: `${escalatedCaseNote(d.no, d.unit)}${d.summary}`, receivedAt: now, sessionId: null, registeredBy: user.id,
      });
      await runTransaction(this.core.db, async (trx) => {
        const closed = await this.store.close(trx, d.id, { status: 'escalated', closedDate: shanghaiDate(now), resolution: null, caseNo: record.caseNo }, now);
        if (!closed) throw new UserError(`${d.no} 刚刚已被办理，请发送“排查台账 ${d.no}”查看`);
        await this.store.addEvents(trx, [{ disputeId: d.id, action: 'escalate', fromStatus: 'open', toStatus: 'escalated', actorId: user.id, at: now, data: { caseNo: record.caseNo } }]);
      });
      return record.caseNo;
    };
    const db = this.core.db;
    const caseNo = isAmbientDb(db) && !inTurn(db) ? await runTurn(db, run) : await run();
    return { dispute: (await this.store.getByNo(d.no))!, caseNo };
  }

  /** The figures of a period (found / resolved / escalated / in progress / overdue), as of today. */
  async figures(period: DisputePeriod, today: IsoDate = this.today()): Promise<DisputeFigures> {
    return disputeFigures(await this.store.figureRows(period.from, period.to), period, today);
  }
}
