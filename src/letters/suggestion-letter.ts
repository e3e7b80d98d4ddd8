import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { runTransaction } from '../platform/database/transaction';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { isCaseNo, LetterCase, LetterCaseQueries } from '../cases';
import { buildDocx, readTemplate, render } from './letter-document';
import { takeLetterNumber } from './letter-numbering';
import { LetterStore } from './letter-store';

export const SUGGESTION = '改进工作建议函';
/** Working days the unit has to answer with what it improved. */
const ANSWER_WORKING_DAYS = 15;
const CONTENT_MAX = 1000;
const CITED_MAX = 20;
const CASE_NO_AT_END = /[\s、，,；;]*(\d{4}-\d{6})\s*$/;

/** A 改进工作建议函 issued: its number, the cases it cites, its text and .docx. */
export interface SuggestionLetter {
  number: string;
  year: number;
  seq: number;
  unit: string;
  caseNos: string[];
  text: string;
  fileName: string;
  docxBase64: string;
}

export interface SuggestionRequest {
  unit: string;
  content: string;
  caseNos: string[];
}

export const SUGGESTION_EXAMPLE = '建议函 县自然资源局 答复意见书未告知信访人复查权利，请规范答复文书 2026-000123 2026-000130';

/** “<单位> <内容> [案件编号…]”: the case numbers at the end are the cases it cites. */
export function parseSuggestion(args: string): SuggestionRequest {
  const m = /^(\S+)\s+([\s\S]+)$/.exec(args.trim());
  if (!m) throw new UserError(`请写明单位和建议内容，例如：${SUGGESTION_EXAMPLE}`);
  let rest = m[2].trim();
  const caseNos: string[] = [];
  for (let hit = CASE_NO_AT_END.exec(rest); hit; hit = CASE_NO_AT_END.exec(rest)) {
    caseNos.unshift(hit[1]);
    rest = rest.slice(0, hit.index).trim();
  }
  return { unit: m[1], content: rest, caseNos: [...new Set(caseNos)] };
}

/**
 * 改进工作建议函 (三项建议权, 《信访工作条例》 art. 41): a letter to a unit about how it works,
 * not tied to one case though it may cite some. Numbered 信访建〔2026〕1号 on its own sequence,
 * kept in the letters register and on the audit trail of each case it cites.
 */
export class SuggestionLetters {
  private readonly cases: LetterCaseQueries;
  private readonly register: LetterStore;

  constructor(private readonly core: Core) {
    this.cases = new LetterCaseQueries(core.db);
    this.register = new LetterStore(core.db);
  }

  async issue(req: SuggestionRequest, actor: Pick<User, 'id'>, now: Date): Promise<SuggestionLetter> {
    const unit = req.unit.trim();
    if (!this.core.reference().units.includes(unit) && !(await this.core.users.hasUnit(unit))) {
      throw new UserError(`不认识单位“${unit.slice(0, 30)}”，请用单位全称，例如：${SUGGESTION_EXAMPLE}`);
    }
    const content = maskPersonalDataInText(req.content.replace(/\s+/g, ' ').trim());
    if (!content) throw new UserError(`请写明建议内容，例如：${SUGGESTION_EXAMPLE}`);
    if (content.length > CONTENT_MAX) throw new UserError(`建议内容太长（${content.length} 字），请控制在 ${CONTENT_MAX} 字以内`);
    const cited = await this.citedCases(req.caseNos);
    const template = readTemplate(this.core.config, SUGGESTION);
    const today = shanghaiDate(now);
    const year = Number(today.slice(0, 4));
    const days = new WorkingDays(this.core.calendar.calendar);
    return runTransaction(this.core.db, async (trx) => {
      const { number, seq } = await takeLetterNumber(trx, this.core.config.LETTER_NUMBER_PREFIX, SUGGESTION, year);
      const text = render(template, {
        文号: number,
        承办单位: unit,
        建议内容: content,
        涉及案件: cited.length ? `涉及信访事项：${cited.map((c) => c.caseNo).join('、')}。` : '',
        回复期限: formatChineseDate(days.addWorkingDays(today, ANSWER_WORKING_DAYS), false),
        发文机关: this.core.config.LETTER_ORG_NAME,
        发文日期: formatChineseDate(today, false),
      }).replace(/\n[ \t]+\n/g, '\n');
      const caseNos = cited.map((c) => c.caseNo);
      await this.register.insert(trx, { number, kind: SUGGESTION, year, seq, unit, caseNos, subject: content.slice(0, 200), date: today, by: actor.id }, now);
      for (const c of cited) {
        await this.cases.logLetter(trx, { caseId: c.id, caseStatus: c.status, actorId: actor.id, reason: `${SUGGESTION} ${number}`, data: { type: SUGGESTION, number, year, seq, unit } }, now);
      }
      const docx = await buildDocx(text);
      return { unit, caseNos, number, year, seq, text, fileName: `${SUGGESTION}_${year}-${seq}.docx`, docxBase64: docx.toString('base64') };
    });
  }

  private async citedCases(caseNos: string[]): Promise<LetterCase[]> {
    if (caseNos.length > CITED_MAX) throw new UserError(`一份建议函最多列出 ${CITED_MAX} 件案件`);
    const out: LetterCase[] = [];
    for (const no of caseNos) {
      if (!isCaseNo(no)) throw new UserError(`案件编号“${no}”格式不对，应为“年份-六位序号”，例如 2026-000123`);
      const c = await this.cases.caseByNo(no);
      if (!c) throw new NotFoundError(`没有找到案件 ${no}，请核对编号`);
      out.push(c);
    }
    return out;
  }
}
