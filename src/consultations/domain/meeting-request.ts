import { parseDayWord } from '../../platform/calendar/domain/day-words';
import type { IsoDate } from '../../platform/calendar/domain/dates';
import { endNotAfterStart, MeetingTime, parseMeetingTime } from './meeting-time';

/** What a person asked for, before the names are looked up: from `会商 …` words or the card form. */
export interface MeetingRequest {
  caseNo: string | null;
  disputeNo: string | null;
  subject: string | null;
  dateWord: string | null;
  timeWord: string | null;
  place: string | null;
  leaders: string[];
  units: string[];
  thirdParties: string[];
  /** An unlabelled word shaped like a number (2026-00032, 2026-9999999) that is no case or dispute number: refused, never a subject. */
  unknownNo?: string | null;
}

const LABELS: Record<string, keyof MeetingRequest> = {
  事项: 'subject', 主题: 'subject', 会商事项: 'subject', 议题: 'subject',
  案件: 'caseNo', 案件编号: 'caseNo', 信访件: 'caseNo',
  纠纷: 'disputeNo', 纠纷编号: 'disputeNo', 矛盾纠纷: 'disputeNo',
  日期: 'dateWord', 时间: 'timeWord',
  地点: 'place', 会议地点: 'place',
  领导: 'leaders', 参会领导: 'leaders',
  单位: 'units', 参会单位: 'units', 部门: 'units',
  第三方: 'thirdParties', 第三方力量: 'thirdParties',
};
const LABEL_RE = new RegExp(`(?:^|[\\s，,；;])(${Object.keys(LABELS).sort((a, b) => b.length - a.length).join('|')})[:：]`, 'g');

/** Splits a list of names: 、 , ， ; ； and spaces. */
export function splitNames(s: string): string[] {
  return [...new Set(s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean))];
}

export function emptyRequest(): MeetingRequest {
  return { caseNo: null, disputeNo: null, subject: null, dateWord: null, timeWord: null, place: null, leaders: [], units: [], thirdParties: [], unknownNo: null };
}

/**
 * Reads `会商 2026-000123 12月8日 下午 地点：三楼会议室 领导：李国强、王芳 单位：县自然资源局 第三方：律师`:
 * the unlabelled words first (a case number, else the subject; a day word; a time), then
 * `字段：值` parts, on one line or many. `isCaseNo` says what a case number looks like.
 */
export function parseMeetingText(text: string, isCaseNo: (s: string) => boolean): MeetingRequest {
  const req = emptyRequest();
  const marks = [...text.matchAll(LABEL_RE)];
  const head = (marks.length ? text.slice(0, marks[0].index) : text).trim();
  readHead(head, req, isCaseNo);
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const key = LABELS[m[1]];
    let value = text.slice(start, i + 1 < marks.length ? marks[i + 1].index : text.length).trim();
    // “事项：征地补偿 3月2日 上午” — the day and time written after a labelled value are the meeting's.
    if (key !== 'dateWord' && key !== 'timeWord') value = peelWhen(value, req);
    if (key === 'leaders' || key === 'units' || key === 'thirdParties') req[key] = [...new Set([...req[key], ...splitNames(value)])];
    else req[key] = value || null;
  });
  return req;
}

/** Takes day and time words off the end of a labelled value while the request has none yet; the rest of the value. */
function peelWhen(value: string, req: MeetingRequest): string {
  const words = value.split(/\s+/).filter(Boolean);
  while (words.length > 1) {
    const w = words[words.length - 1];
    const glued = splitDayAndTime(w);
    if (!req.timeWord && (parseMeetingTime(w) || TIME_LIKE.test(w))) req.timeWord = w;
    else if (!req.dateWord && dateLike(w)) req.dateWord = w;
    else if (!req.dateWord && !req.timeWord && glued) [req.dateWord, req.timeWord] = glued;
    else break;
    words.pop();
  }
  return words.join(' ');
}

/** A word written as a date even when no such day exists (2月30日): refused by name, not taken as the subject. */
const DATE_LIKE = /^(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]$/;

/** A day word, or one shaped like a date (2月30日, refused later by name). */
function dateLike(w: string): boolean {
  return parseDayWord(w, '2000-01-01') !== null || DATE_LIKE.test(w);
}

/** A word meant as a clock time even when no such time exists (25:00, 下午13点): refused by name, not taken as the subject. */
const TIME_LIKE = /^(上午|下午|晚上)?\d{1,2}(?:[:：]\d{1,2}|点|时)/;

/** A word shaped like a number: digits, a dash, digits (a 排 before them: a dispute's). */
const NUMBER_LIKE = /^(排)?\d{2,4}\s*[-－—]\s*\d+$/;

/**
 * The unlabelled words: a case number, a dispute number (排2026-0001), a day, a time; what is left
 * is the subject. Any other number-shaped word is kept as `unknownNo`, so it is refused, not saved.
 */
function readHead(head: string, req: MeetingRequest, isCaseNo: (s: string) => boolean): void {
  const rest: string[] = [];
  for (const w of head.split(/\s+/).filter(Boolean)) {
    const numberLike = NUMBER_LIKE.exec(w);
    if (!req.caseNo && isCaseNo(w)) req.caseNo = w;
    else if (numberLike && numberLike[1] && !req.disputeNo) req.disputeNo = w;
    else if (numberLike && !isCaseNo(w) && parseDayWord(w, '2000-01-01') === null) req.unknownNo = req.unknownNo ?? w;
    else if (!req.dateWord && dateLike(w)) req.dateWord = w;
    else if (!req.timeWord && (parseMeetingTime(w) || TIME_LIKE.test(w))) req.timeWord = w;
    else if (!req.dateWord && splitDayAndTime(w)) {
      const [d, t] = splitDayAndTime(w)!;
      req.dateWord = d;
      req.timeWord = req.timeWord ?? t;
    } else rest.push(w);
  }
  if (!req.subject && rest.length) req.subject = rest.join(' ');
}

/** 12月8日下午, 明天上午9点: a day word glued to a time. */
function splitDayAndTime(w: string): [string, string] | null {
  for (let i = w.length - 1; i > 0; i--) {
    const d = w.slice(0, i);
    const t = w.slice(i);
    if (parseDayWord(d, '2000-01-01') !== null && parseMeetingTime(t)) return [d, t];
  }
  return null;
}

/** When the meeting is, or what is wrong with it, read on the Shanghai date and time of `now`. */
export function resolveWhen(req: MeetingRequest, today: IsoDate, nowTime: string): { date: IsoDate; time: MeetingTime } | { error: string } {
  if (!req.dateWord) return { error: '请写明会商日期，例如“12月8日”“下周三”“明天”。' };
  const date = parseDayWord(req.dateWord, today);
  if (!date && DATE_LIKE.test(req.dateWord.trim())) return { error: `没有${req.dateWord.trim().replace(/^\d{4}年/, '').replace(/号$/, '日')}这一天，请核对日期。` };
  if (!date) return { error: `看不懂日期“${req.dateWord.slice(0, 20)}”，请写成“12月8日”“下周三”或“2026-12-08”。` };
  if (!req.timeWord) return { error: '请写明时间：上午、下午，或具体时刻如“14:30”“9:00-11:00”。' };
  const time = parseMeetingTime(req.timeWord);
  if (!time && endNotAfterStart(req.timeWord)) return { error: `结束时间不能早于开始时间（“${req.timeWord.slice(0, 20)}”），请改正后重新发送。` };
  if (!time) return { error: `看不懂时间“${req.timeWord.slice(0, 20)}”，请写成“上午”“下午”“14:30”或“9:00-11:00”。` };
  if (date < today || (date === today && time.start <= nowTime)) {
    return { error: `会商时间不能早于现在（${req.dateWord} ${req.timeWord} 已经过去），请另选时间。` };
  }
  return { date, time };
}

/** The case number a mistyped one most likely meant (2026-00032 → 2026-000032), or null. */
export function likelyCaseNo(w: string): string | null {
  const m = /^(\d{4})\s*[-－—]\s*0*(\d{1,6})$/.exec(w.trim());
  return m && Number(m[2]) > 0 ? `${m[1]}-${m[2].padStart(6, '0')}` : null;
}
