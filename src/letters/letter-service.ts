import { maskName, maskPersonalDataInText } from '../platform/personal-data/masking';
import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, IsoDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { DEADLINE_LABELS, DUTY_DEADLINES, isCaseNo } from '../cases';
import { timeLeft, workingOffset } from '../reminders';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { LetterCase, LetterCaseQueries, LetterDeadline } from '../cases';
import type { User } from '../platform/directory/user-store';
import { buildDocx, readTemplate, render } from './letter-document';
import { LetterType, takeLetterNumber } from './letter-numbering';
import { LetterStore } from './letter-store';

/** Working days the unit has to answer a letter. */
const REPLY_WORKING_DAYS = 3;
const SUMMARY_MAX = 80;

export interface Letter {
  type: LetterType;
  caseNo: string;
  /** 信访督〔2026〕3号 */
  number: string;
  year: number;
  seq: number;
  text: string;
  fileName: string;
  docxBase64: string;
}

/** “督办函 2026-000123 再次” issues another letter for the same deadline on purpose. */
const AGAIN = /\s+(再次|重发|再发)$/;

/** The case number asked for, and whether another letter for the same deadline was asked for in words. */
function parseLetterRequest(type: LetterType, caseNoArg: string, now: Date): { caseNo: string; again: boolean } {
  const again = AGAIN.test(caseNoArg.trim());
  const caseNo = caseNoArg.trim().replace(AGAIN, '');
  if (!caseNo) throw new UserError(`请在“${type}”后写上案件编号，例如：${type} ${shanghaiDate(now).slice(0, 4)}-000123`);
  if (!isCaseNo(caseNo)) throw new UserError(`案件编号“${caseNo.slice(0, 20)}”格式不对，应为“年份-六位序号”，例如 2026-000123`);
  return { caseNo, again };
}

/**
 * 督办函 and 提醒函: filled from the templates in config/letters/, numbered per year and type
 * (letter-numbering.ts), logged on the case (case_events action 'letter') and in the letters
 * register (letter-store.ts), and given as text and as a .docx file.
 *
 * A template is plain text with {{字段}} placeholders. Its first line is the title, its second the
 * number; the last two non-empty lines (issuer, date) are set flush right in the .docx; a line that
 * starts with spaces is a paragraph with a first-line indent.
 */
export class LetterService {
  private readonly store: LetterCaseQueries;
  private readonly register: LetterStore;

  constructor(private readonly core: Core) {
    this.store = new LetterCaseQueries(core.db);
    this.register = new LetterStore(core.db);
  }

  async issue(type: LetterType, caseNoArg: string, actor: User, now: Date): Promise<Letter> {
    const { caseNo, again } = parseLetterRequest(type, caseNoArg, now);
    const c = await this.store.caseByNo(caseNo);
    if (!c) throw new NotFoundError(`没有找到案件 ${caseNo}，请核对编号`);

    const days = new WorkingDays(this.core.calendar.calendar);
    const today = shanghaiDate(now);
    const target = await this.targetDeadline(type, c, today, days);
    const unit = target.unit ?? (target.kind === 'decision' ? null : c.unit);
    if (!unit) throw new UserError(`案件 ${caseNo} 的${DEADLINE_LABELS[target.kind]}由信访局自行办理（尚未交办），无需向承办单位发${type}。`);
    if (!again) await this.refuseRepeat(type, c, target);

    const template = readTemplate(this.core.config, type);
    const year = Number(today.slice(0, 4));
    return runTransaction(this.core.db, async (trx) => {
      const { number, seq } = await takeLetterNumber(trx, this.core.config.LETTER_NUMBER_PREFIX, type, year);
      const text = render(template, this.fields(c, target, unit, number, today, days));
      await this.store.logLetter(
        trx,
        {
          caseId: c.id, caseStatus: c.status, actorId: actor.id, reason: `${type} ${number}`,
          data: { type, number, year, seq, kind: target.kind, dueDate: target.dueDate, unit },
        },
        now,
      );
      await this.register.insert(trx, { number, kind: type, year, seq, unit, caseNos: [c.caseNo], subject: null, date: today, by: actor.id }, now);
      // Built inside the transaction: a failure here leaves no number used and no entry logged.
      const docx = await buildDocx(text);
      return { type, caseNo: c.caseNo, number, year, seq, text, fileName: `${type}_${c.caseNo}_${year}-${seq}.docx`, docxBase64: docx.toString('base64') };
    });
  }

  /** The deadline a letter is about: the first overdue one (a 督办函 needs one), else the next open one (提醒函). */
  private async targetDeadline(type: LetterType, c: LetterCase, today: IsoDate, days: WorkingDays): Promise<LetterDeadline> {
    const open = await this.store.openDeadlines(c.id, DUTY_DEADLINES);
    if (!open.length) throw new UserError(`案件 ${c.caseNo} 目前没有未完成的办理期限，无需发${type}。`);
    const overdue = open.filter((d) => workingOffset(today, d.dueDate, days) > 0);
    if (type === '提醒函') return overdue[0] ?? open[0];
    if (!overdue.length) {
      const next = open[0];
      throw new UserError(
        `案件 ${c.caseNo} 尚未逾期（${DEADLINE_LABELS[next.kind]}：${formatChineseDate(next.dueDate)}，${timeLeft(today, next.dueDate, days).text}），不能发督办函。` +
          `如需提醒承办单位，请发送“提醒函 ${c.caseNo}”。`,
      );
    }
    return overdue[0];
  }

  /**
   * Each letter takes an official number that the bureau reports: a second one for the same
   * deadline only when asked for in so many words.
   */
  private async refuseRepeat(type: LetterType, c: LetterCase, target: LetterDeadline): Promise<void> {
    const same = (await this.store.letterLog(c.id)).find((d) => d.type === type && d.kind === target.kind && d.dueDate === target.dueDate);
    if (!same) return;
    throw new UserError(
      `案件 ${c.caseNo} 的${DEADLINE_LABELS[target.kind]}已发过${type}（${same.number}），未重复编号。` +
        `如确需再次发函，请发送“${type} ${c.caseNo} 再次”。`,
    );
  }

  /** The {{字段}} of a letter's template. */
  private fields(c: LetterCase, target: LetterDeadline, unit: string, number: string, today: IsoDate, days: WorkingDays): Record<string, string> {
    const left = timeLeft(today, target.dueDate, days);
    const summary = maskPersonalDataInText(c.content.replace(/\s+/g, ' ').trim());
    return {
      文号: number,
      承办单位: unit,
      登记日期: formatChineseDate(c.receivedDate, false),
      信访人: maskName(c.name),
      问题属地: c.town,
      问题类别: c.category,
      案件编号: c.caseNo,
      期限名称: DEADLINE_LABELS[target.kind],
      期限: formatChineseDate(target.dueDate, false),
      今日: formatChineseDate(today, false),
      逾期工作日: String(Math.max(0, -left.workingDays)),
      剩余情况: left.text,
      事项摘要: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX)}……` : summary,
      回复期限: formatChineseDate(days.addWorkingDays(today, REPLY_WORKING_DAYS), false),
      发文机关: this.core.config.LETTER_ORG_NAME,
      发文日期: formatChineseDate(today, false),
    };
  }

}
