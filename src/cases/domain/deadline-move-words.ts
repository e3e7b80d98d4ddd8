import type { IsoDate } from '../../platform/calendar/domain/dates';
import type { DayKind } from '../../platform/calendar/domain/holiday-calendar';
import { DEADLINE_LABELS, DeadlineKind } from './case-status';

/** What the words read of a calendar: the kind of a day (estimated outside the known years) and its name. */
export interface CalendarWords {
  dayKindAssumingWeekends(d: IsoDate): DayKind;
  holidayName(d: IsoDate): string | undefined;
}

/** How the import names itself in an audit entry: "2027 年节假日安排导入", or a correction. */
export function importLabel(years: readonly number[]): string {
  return years.length ? `${years.join('、')} 年节假日安排导入` : '节假日安排更正';
}

/** '1月4日'; with the year when it differs from `ref`'s. */
export function monthDay(d: IsoDate, ref: IsoDate = d): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y === Number(ref.slice(0, 4)) ? '' : `${y}年`}${m}月${day}日`;
}

const isWork = (k: DayKind) => k === 'workday' || k === 'makeup-workday';

/**
 * Why a deadline moved from `from` to `to`, in Chinese: "1月1日为元旦假日，顺延至1月4日",
 * "2月14日为调休上班日，期限提前至2月14日", or the general reason when the change lay in an
 * earlier part of the count (the 60 days before an extension).
 */
export function moveReason(from: IsoDate, to: IsoDate, before: CalendarWords, after: CalendarWords): string {
  const toText = monthDay(to, from);
  if (to > from) {
    const k = after.dayKindAssumingWeekends(from);
    if (k === 'holiday') {
      const name = after.holidayName(from);
      return `${monthDay(from)}为${name ? `${name}假日` : '法定节假日'}，顺延至${toText}`;
    }
    if (k === 'weekend' && before.dayKindAssumingWeekends(from) === 'makeup-workday') return `${monthDay(from)}不再调休上班，顺延至${toText}`;
    return `期限计算所涉日期的节假日安排有变，顺延至${toText}`;
  }
  if (after.dayKindAssumingWeekends(to) === 'makeup-workday') return `${monthDay(to)}为调休上班日，期限提前至${toText}`;
  if (before.dayKindAssumingWeekends(to) === 'holiday' && isWork(after.dayKindAssumingWeekends(to))) return `${monthDay(to)}不再放假，期限提前至${toText}`;
  return `期限计算所涉日期的节假日安排有变，提前至${toText}`;
}

export interface DeadlineFigures {
  checked: number;
  moved: number;
  madeFinal: number;
  cases: number;
}

export interface MoveLine {
  caseNo: string;
  kind: DeadlineKind;
  from: IsoDate;
  to: IsoDate;
  reason: string;
}

/** The report's lines: the figures in words, then the moves (at most `limit`), then how many more. */
export function deadlineReportLines(f: DeadlineFigures, moves: readonly MoveLine[], limit = 50): string[] {
  if (!f.checked) return ['没有可能受这次节假日安排影响的办理期限。'];
  const head =
    f.moved || f.madeFinal
      ? `检查可能受影响的办理期限 ${f.checked} 条：调整日期 ${f.moved} 条，由暂定转为正式 ${f.madeFinal} 条，涉及案件 ${f.cases} 件。`
      : `检查可能受影响的办理期限 ${f.checked} 条，均无需调整。`;
  const lines = [head];
  for (const m of moves.slice(0, limit)) lines.push(`${m.caseNo} ${DEADLINE_LABELS[m.kind]} ${m.from} → ${m.to}（${m.reason}）`);
  if (moves.length > limit) lines.push(`…另有 ${moves.length - limit} 条`);
  return lines;
}
