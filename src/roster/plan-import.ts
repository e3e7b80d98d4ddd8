import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, HolidayCalendar, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import type { Core } from '../platform/core/feature';
import {
  findDoubleBookings, PlanSession, receptionDayCheck, RosterLeader, RosterRules, RosterVenue, SESSION_TYPES, SessionType,
  Unavailability,
} from './domain';
import { overlongCells, parsePlanTime, PlanImportError, PlanRow, readPlanWorkbook, RowError, shown, splitList } from './plan-excel';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toLike, toPlanSession } from './session-view';

export interface ImportOutcome {
  added: number;
  updated: number;
  unchanged: number;
  cancelled: number;
  years: number[];
  warnings: string[];
}

export interface ImportOptions {
  /** Cancel the coming sessions of the workbook's years that it no longer holds. */
  replace?: boolean;
  source?: string;
  by?: string;
}

/** A row that passed its own checks, as the session it would make. */
interface Candidate {
  row: number;
  s: PlanSession;
}

/** What every row is checked against. */
interface RowContext {
  leaders: RosterLeader[];
  venues: RosterVenue[];
  slots: RosterRules['slots'];
  calendar: HolidayCalendar;
  unavailability: Unavailability[];
  warnings: Set<string>;
  err: (row: number, column: RowError['column'], message: string) => void;
}

/** The workbook's sessions set against the plan in the database. */
interface PlanMatch {
  existingByKey: Map<string, SessionView>;
  toCancel: SessionView[];
}

/**
 * How to make the workbook win over a clashing session: the command line's flag for `plan import`
 * (by 'cli'); in chat, what a person there can do (the admin imports it again replacing the plan).
 */
export function replaceHint(by: string | undefined): string {
  return by === 'cli' ? '；如要以本表为准，请加 --replace' : '；如要以本表为准，请管理员按“以本表为准、替换现有安排”重新导入';
}

/** Importing the year's plan from an Excel workbook in the office layout (plan import). */
export class PlanImport {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  /**
   * Imports a workbook in the office layout. Every row is checked first (leader, venue, type,
   * working day, leave, double booking within the file and against the plan); any error and
   * nothing is written. Rows equal to a session already planned leave it as it is; `replace`
   * cancels the coming sessions of those years that the workbook no longer holds.
   */
  async importPlan(data: Buffer, opts: ImportOptions = {}, now = this.core.now()): Promise<ImportOutcome> {
    const { rows, errors } = await readPlanWorkbook(data);
    if (errors.length) throw new PlanImportError(errors);
    if (!rows.length) throw new PlanImportError([{ row: 2, column: null, message: '工作簿没有数据行' }]);
    const errs: RowError[] = [];
    const ctx: RowContext = {
      leaders: await this.store.leaders.listLeaders({ activeOnly: true }),
      venues: await this.store.leaders.listVenues(),
      slots: this.rules.load().slots,
      calendar: this.core.calendar.calendar,
      unavailability: await this.store.leaders.listUnavailability(),
      warnings: new Set<string>(),
      err: (row, column, message) => errs.push({ row, column, message }),
    };
    const candidates = rows.map((r) => checkRow(r, ctx)).filter((c): c is Candidate => c !== null);
    checkWithinWorkbook(candidates, ctx);
    const years = [...new Set(candidates.map((x) => Number(x.s.date.slice(0, 4))))].sort();
    const match = await this.checkAgainstPlan(candidates, years, ctx, opts.replace ?? false, shanghaiDate(now), opts.by);
    if (errs.length) throw new PlanImportError(errs.sort((a, b) => a.row - b.row));
    const written = await this.write(candidates, match, years, opts, now);
    return { ...written, cancelled: match.toCancel.length, years, warnings: [...ctx.warnings] };
  }

  /** Rows that clash with a session staying in the plan are errors; returns what matches and what `replace` cancels. */
  private async checkAgainstPlan(candidates: Candidate[], years: number[], ctx: RowContext, replace: boolean, today: IsoDate, by?: string): Promise<PlanMatch> {
    const existing = (await Promise.all(years.map((y) => this.store.sessions.listSessions({ year: y })))).flat();
    const existingByKey = new Map<string, SessionView>();
    for (const e of existing) existingByKey.set(naturalKey(toPlanSession(e)), e);
    const matched = new Set<number>();
    for (const { s } of candidates) {
      const e = existingByKey.get(naturalKey(s));
      if (e) matched.add(e.id);
    }
    const toCancel = replace ? existing.filter((e) => !matched.has(e.id) && e.status !== 'held' && e.date >= today) : [];
    const stayingLike = existing.filter((e) => !toCancel.includes(e) && !matched.has(e.id)).map(toLike);
    for (const { row, s } of candidates) {
      if (existingByKey.has(naturalKey(s))) continue;
      for (const l of s.leaderIds) {
        const clash = stayingLike.find((e) => e.leaderIds.includes(l) && e.date === s.date && e.startTime < s.endTime && s.startTime < e.endTime);
        if (clash) ctx.err(row, '领导', `${nameOf(ctx, l)}在${formatChineseDate(clash.date)}${clash.slot}已有接访安排（编号 ${clash.id}）${replace ? '' : replaceHint(by)}`);
      }
    }
    return { existingByKey, toCancel };
  }

  /** In one transaction: cancels what `replace` drops, updates changed rows, adds new ones, records each new year's plan. */
  private async write(candidates: Candidate[], match: PlanMatch, years: number[], opts: ImportOptions, now: Date) {
    const cal = this.core.calendar.calendar;
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    await runTransaction(this.core.db, async (trx) => {
      if (match.toCancel.length) await this.store.sessions.cancelSessions(trx, match.toCancel.map((e) => e.id), '按导入的计划表取消', now);
      const fresh: PlanSession[] = [];
      for (const { s } of candidates) {
        const e = match.existingByKey.get(naturalKey(s));
        if (!e) {
          fresh.push(s);
          continue;
        }
        const same = e.focus === s.focus && e.accompanyUnits.join('、') === s.accompanyUnits.join('、');
        if (same) unchanged++;
        else {
          await this.store.sessions.updateSession(trx, e.id, { focus: s.focus, accompanyUnits: s.accompanyUnits }, now);
          updated++;
        }
      }
      await this.store.sessions.insertSessions(trx, fresh, now);
      added = fresh.length;
      for (const y of years) {
        if (!(await this.store.sessions.getPlan(y, trx))) {
          await this.store.sessions.savePlan(trx, {
            // roster_plans.source holds 200 characters: a long file name is cut, not refused.
            year: y, provisional: !cal.isKnown(`${y}-01-01`), source: [...(opts.source ?? 'Excel 导入')].slice(0, 200).join(''), generatedBy: opts.by ?? null, report: null,
          }, now);
        }
      }
    });
    return { added, updated, unchanged };
  }
}

/**
 * One row's own checks: the cells' lengths first (an over-long cell is reported alone, so a
 * message never repeats 80,000 characters), then date, time, leaders, venue, type, leave. Null
 * when any failed (each error recorded).
 */
function checkRow(r: PlanRow, ctx: RowContext): Candidate | null {
  const long = overlongCells(r);
  for (const e of long) ctx.err(e.row, e.column, e.message);
  if (long.length) return null;
  const c = r.cells;
  const err = (column: RowError['column'], message: string) => ctx.err(r.row, column, message);
  let failed = false;
  const fail = (column: RowError['column'], message: string) => {
    failed = true;
    err(column, message);
  };
  if (!r.date) fail('日期', c['日期'] ? `“${shown(c['日期'])}”不是有效日期，应写成 2026-03-05` : '日期不能为空');
  else {
    const day = receptionDayCheck(r.date, ctx.calendar);
    if (!day.ok) fail('日期', day.reason!);
    else if (day.provisional) ctx.warnings.add(`没有 ${r.date.slice(0, 4)} 年的节假日数据，该年的日期只核对了周末`);
  }
  const time = parsePlanTime(c['时间'], ctx.slots);
  if (!time) fail('时间', c['时间'] ? `“${shown(c['时间'])}”无法识别，应写“上午”“下午”“全天”或“09:00-12:00”` : '时间不能为空');
  const ids = leaderIdsOf(r, ctx, fail);
  const venueText = c['地点'];
  const venue = ctx.venues.find((v) => v.name === venueText || v.id === venueText);
  if (!venueText) fail('地点', '地点不能为空');
  else if (!venue) fail('地点', `没有名为“${shown(venueText)}”的接访地点（可用：${ctx.venues.slice(0, 4).map((v) => v.name).join('、')}等）`);
  const type = c['类型'] as SessionType;
  if (!SESSION_TYPES.includes(type)) fail('类型', c['类型'] ? `“${shown(c['类型'])}”无效，应为 接访、下访 或 约访` : '类型不能为空');
  if (r.date) {
    for (const id of ids) {
      const u = ctx.unavailability.find((x) => x.leaderId === id && x.from <= r.date! && x.to >= r.date!);
      if (u) fail('领导', `${nameOf(ctx, id)}${formatChineseDate(r.date)}不在岗（${u.reason ?? '请假'}）`);
    }
  }
  if (failed) return null;
  return {
    row: r.row,
    s: {
      date: r.date!, slot: time!.slot, startTime: time!.startTime, endTime: time!.endTime, type, venueId: venue!.id, leaderIds: ids,
      accompanyUnits: splitList(c['陪同单位']), focus: c['接访重点'] || null, capacity: null, ruleId: null, substituteFor: null, note: null,
    },
  };
}

/** The row's leaders by name (the 职务 column tells namesakes apart), as ids; each problem recorded. */
function leaderIdsOf(r: PlanRow, ctx: RowContext, fail: (column: RowError['column'], message: string) => void): string[] {
  const names = splitList(r.cells['领导']);
  const titles = splitList(r.cells['职务']);
  const ids: string[] = [];
  if (!names.length) fail('领导', '领导不能为空');
  names.forEach((n, i) => {
    let found = ctx.leaders.filter((l) => l.name === n);
    if (found.length > 1 && titles[i]) found = found.filter((l) => l.title === titles[i]);
    if (!found.length) fail('领导', `没有名为“${shown(n)}”的在任领导`);
    else if (found.length > 1) fail('领导', `有 ${found.length} 位领导名为“${n}”，请在“职务”列写明以区分`);
    else if (ids.includes(found[0].id)) fail('领导', `“${n}”重复`);
    else ids.push(found[0].id);
  });
  return ids;
}

/** Duplicates and double bookings within the workbook. */
function checkWithinWorkbook(candidates: Candidate[], ctx: RowContext): void {
  const seenKey = new Map<string, number>();
  for (const { row, s } of candidates) {
    const k = naturalKey(s);
    if (seenKey.has(k)) ctx.err(row, null, `与第 ${seenKey.get(k)} 行重复`);
    else seenKey.set(k, row);
  }
  for (const c of findDoubleBookings(candidates.map(({ s }) => ({ ...s })).map((s, i) => ({ ...s, id: i })))) {
    const ra = candidates[c.a.id!].row;
    const rb = candidates[c.b.id!].row;
    if (naturalKey(candidates[c.a.id!].s) === naturalKey(candidates[c.b.id!].s)) continue;
    ctx.err(Math.max(ra, rb), '领导', `${nameOf(ctx, c.leaderId)}与第 ${Math.min(ra, rb)} 行的安排时间重叠`);
  }
}

function nameOf(ctx: RowContext, id: string): string {
  return ctx.leaders.find((l) => l.id === id)?.name ?? id;
}

function naturalKey(s: Pick<PlanSession, 'date' | 'startTime' | 'endTime' | 'venueId' | 'type' | 'leaderIds'>): string {
  return [s.date, s.startTime, s.endTime, s.venueId, s.type, [...s.leaderIds].sort().join(',')].join('|');
}
