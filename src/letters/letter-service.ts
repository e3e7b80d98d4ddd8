import fs from 'node:fs';
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';
import { maskName } from '../platform/personal-data/masking';
import { configPath } from '../platform/settings/config';
import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { DEADLINE_LABELS, DUTY_DEADLINES } from '../cases';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { timeLeft, workingOffset } from '../reminders';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/feature';
import { nextCounterValue } from '../platform/database/counter-store';
import { LetterCaseQueries, LetterDeadline } from '../cases';
import type { User } from '../platform/directory/user-store';

export const LETTER_TYPES = ['督办函', '提醒函'] as const;
export type LetterType = (typeof LETTER_TYPES)[number];

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

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

const CASE_NO = /^\d{4}-\d{6}$/;

/**
 * 督办函 and 提醒函: filled from the templates in config/letters/, numbered per year and type
 * (counter letter:<type>:<year>), logged on the case (case_events action 'letter'), and given as
 * text and as a .docx file.
 *
 * A template is plain text with {{字段}} placeholders. Its first line is the title, its second the
 * number; the last two non-empty lines (issuer, date) are set flush right in the .docx; a line that
 * starts with spaces is a paragraph with a first-line indent.
 */
export class LetterService {
  private readonly store: LetterCaseQueries;

  constructor(private readonly core: Core) {
    this.store = new LetterCaseQueries(core.db);
  }

  async issue(type: LetterType, caseNoArg: string, actor: User, now: Date): Promise<Letter> {
    // “督办函 2026-000123 再次” issues another letter for the same deadline on purpose.
    const again = /\s+(再次|重发|再发)$/.test(caseNoArg.trim());
    const caseNo = caseNoArg.trim().replace(/\s+(再次|重发|再发)$/, '');
    if (!caseNo) throw new UserError(`请在“${type}”后写上案件编号，例如：${type} ${shanghaiDate(now).slice(0, 4)}-000123`);
    if (!CASE_NO.test(caseNo)) throw new UserError(`案件编号“${caseNo.slice(0, 20)}”格式不对，应为“年份-六位序号”，例如 2026-000123`);
    const c = await this.store.caseByNo(caseNo);
    if (!c) throw new NotFoundError(`没有找到案件 ${caseNo}，请核对编号`);

    const days = new WorkingDays(this.core.calendar.calendar);
    const today = shanghaiDate(now);
    const open = await this.store.openDeadlines(c.id, DUTY_DEADLINES);
    if (!open.length) throw new UserError(`案件 ${caseNo} 目前没有未完成的办理期限，无需发${type}。`);
    const overdue = open.filter((d) => workingOffset(today, d.dueDate, days) > 0);
    let target: LetterDeadline;
    if (type === '督办函') {
      if (!overdue.length) {
        const next = open[0];
        throw new UserError(
          `案件 ${caseNo} 尚未逾期（${DEADLINE_LABELS[next.kind]}：${formatChineseDate(next.dueDate)}，${timeLeft(today, next.dueDate, days).text}），不能发督办函。` +
            `如需提醒承办单位，请发送“提醒函 ${caseNo}”。`,
        );
      }
      target = overdue[0];
    } else {
      target = overdue[0] ?? open[0];
    }
    const unit = target.unit ?? (target.kind === 'decision' ? null : c.unit);
    if (!unit) throw new UserError(`案件 ${caseNo} 的${DEADLINE_LABELS[target.kind]}由信访局自行办理（尚未交办），无需向承办单位发${type}。`);

    // Each letter takes an official number that the bureau reports: a second one for the same
    // deadline only when asked for in so many words.
    const earlier = await this.core.db('case_events').where({ case_id: c.id, action: 'letter' }).orderBy('id', 'desc').select('reason', 'data', 'at');
    const same = earlier.find((e: any) => {
      const d = JSON.parse(e.data ?? '{}');
      return d.type === type && d.kind === target.kind && d.dueDate === target.dueDate;
    });
    if (same && !again) {
      const d = JSON.parse(same.data);
      throw new UserError(
        `案件 ${caseNo} 的${DEADLINE_LABELS[target.kind]}已发过${type}（${d.number}），未重复编号。` +
          `如确需再次发函，请发送“${type} ${caseNo} 再次”。`,
      );
    }

    const template = this.template(type);
    const year = Number(today.slice(0, 4));
    const org = this.core.config.LETTER_ORG_NAME;
    const left = timeLeft(today, target.dueDate, days);
    const summary = maskPersonalDataInText(c.content.replace(/\s+/g, ' ').trim());

    return runTransaction(this.core.db, async (trx) => {
      const seq = await nextCounterValue(trx, `letter:${type}:${year}`);
      const number = `${this.core.config.LETTER_NUMBER_PREFIX}${type === '督办函' ? '督' : '提'}〔${year}〕${seq}号`;
      const text = render(template, {
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
        发文机关: org,
        发文日期: formatChineseDate(today, false),
      });
      await this.store.logLetter(
        trx,
        {
          caseId: c.id, caseStatus: c.status, actorId: actor.id, reason: `${type} ${number}`,
          data: { type, number, year, seq, kind: target.kind, dueDate: target.dueDate, unit },
        },
        now,
      );
      // Built inside the transaction: a failure here leaves no number used and no entry logged.
      const docx = await buildDocx(text);
      return { type, caseNo: c.caseNo, number, year, seq, text, fileName: `${type}_${c.caseNo}_${year}-${seq}.docx`, docxBase64: docx.toString('base64') };
    });
  }

  private template(type: LetterType): string {
    const file = configPath(this.core.config, `letters/${type}.txt`);
    if (!fs.existsSync(file)) throw new UserError(`找不到${type}模板（${file}），请管理员补上`);
    return fs.readFileSync(file, 'utf8');
  }
}

/** Fills {{字段}}; an unknown field is the template's mistake, said plainly. */
export function render(template: string, values: Record<string, string>): string {
  const unknown = new Set<string>();
  const out = template.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (_m, key: string) => {
    if (key in values) return values[key];
    unknown.add(key);
    return '';
  });
  if (unknown.size) throw new UserError(`信函模板中有无法识别的字段：${[...unknown].map((k) => `{{${k}}}`).join('、')}，请管理员修正模板`);
  return out.replace(/\r\n/g, '\n').replace(/\n+$/, '\n');
}

const BODY_FONT = '仿宋_GB2312';
const TITLE_FONT = '方正小标宋简体';

/** The letter as a Word document: title, number, body paragraphs, issuer and date flush right. */
export async function buildDocx(text: string): Promise<Buffer> {
  const lines = text.replace(/\n+$/, '').split('\n');
  const nonEmpty = lines.map((l, i) => (l.trim() ? i : -1)).filter((i) => i >= 0);
  const tail = new Set(nonEmpty.slice(-2));
  const children = lines.map((line, i) => {
    const t = line.trim();
    if (i === 0) {
      return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: t, font: TITLE_FONT, size: 44, bold: true })] });
    }
    if (i === 1) return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })] });
    if (tail.has(i) && i > 1) return new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })] });
    return new Paragraph({
      ...(/^\s/.test(line) ? { indent: { firstLineChars: 200 } } : {}),
      spacing: { line: 560 },
      children: [new TextRun({ text: t, font: BODY_FONT, size: 32 })],
    });
  });
  const doc = new Document({ creator: 'xinfang-bot', title: lines[0]?.trim() ?? '信函', sections: [{ children }] });
  return Packer.toBuffer(doc);
}
