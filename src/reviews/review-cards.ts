import { button, buttonRow, card, CardElement, divider, escapeMd, fields, form, input, markdown } from '../platform/cards/card-kit';
import { formatChineseDate } from '../platform/calendar/domain/dates';
import { maskName } from '../platform/personal-data/masking';
import type { ReviewCase } from '../cases';
import { DEFAULT_FIX_WORKING_DAYS, REVIEW_STATUS_LABELS, ReviewFigures } from './domain/review-rules';
import type { ReviewPeriod } from './domain/review-period';
import type { SampleResult } from './review-sampler';
import type { ReviewRow } from './review-store';

/** Entries of the ledger per card; the next page is one button away. */
export const LEDGER_PAGE_SIZE = 40;

export const REVIEW_ACTIONS = {
  open: 'review.open',
  record: 'review.record',
  report: 'review.report',
  accept: 'review.accept',
  return: 'review.return',
  ledger: 'review.ledger',
} as const;

const date = (d: string | null) => (d ? formatChineseDate(d, false) : '—');

/** The case as a group may read it: the petitioner's name masked, nothing else personal. */
function caseFields(r: ReviewRow, c: ReviewCase): CardElement {
  return fields([
    ['评查编号', r.reviewNo || '（记录时编号）'],
    ['案件编号', r.caseNo],
    ['信访人', maskName(c.name)],
    ['问题属地', c.town],
    ['问题类别', c.category],
    ['承办单位', r.caseUnit],
    ['办结日期', date(r.concludedDate)],
    ['状态', REVIEW_STATUS_LABELS[r.status]],
  ]);
}

function findings(r: ReviewRow): CardElement[] {
  if (r.status === 'pending') return [];
  const lines = [r.problems.length ? `**发现问题**：${escapeMd(r.problems.join('、'))}` : '**评查结论**：规范'];
  if (r.note) lines.push(`**评查意见**：${escapeMd(r.note)}`);
  if (r.fixUnit) lines.push(`**整改单位**：${escapeMd(r.fixUnit)}`);
  if (r.fixDueDate) lines.push(`**整改期限**：${formatChineseDate(r.fixDueDate)}前`);
  if (r.rectification) lines.push(`**整改情况**：${escapeMd(r.rectification)}`);
  return [markdown(lines.join('\n'))];
}

/** 评查 <编号>: the case, and the form to record the review (or what was recorded). */
export function reviewRecordCard(r: ReviewRow, c: ReviewCase, problemList: string[]): Record<string, unknown> {
  const elements: CardElement[] = [caseFields(r, c), ...findings(r)];
  // Not drawn yet: the buttons name the case, and the review is numbered when it is recorded.
  const ref = r.reviewNo ? { reviewNo: r.reviewNo } : { caseNo: r.caseNo };
  if (!r.reviewNo) elements.push(markdown('该事项未被抽中，记录后即单独立项评查。'));
  if (r.status === 'pending') {
    elements.push(
      divider(),
      buttonRow([button({ text: '办理规范', type: 'primary', value: { action: REVIEW_ACTIONS.record, ...ref, ok: true } })]),
      form({
        name: 'review_record',
        elements: [
          input({ name: 'problems', label: `发现的问题（用“、”分隔，可选：${problemList.join('、')}）`, required: true, maxLength: 200 }),
          input({ name: 'note', label: '评查意见', maxLength: 500, multiline: true }),
          input({ name: 'unit', label: '整改单位（默认为承办单位）', defaultValue: c.unit ?? '', maxLength: 64 }),
          input({ name: 'due', label: `整改期限（如 12月31日；不填为 ${DEFAULT_FIX_WORKING_DAYS} 个工作日后）`, maxLength: 20 }),
        ],
        submit: { text: '记录问题并通知整改', value: { action: REVIEW_ACTIONS.record, ...ref, ok: false } },
      }),
    );
  }
  return card({ title: `信访事项评查 ${r.reviewNo || r.caseNo}`, subtitle: '评查已办结信访事项的办理是否规范', template: r.problems.length ? 'orange' : 'blue', elements });
}

/** To the unit's group: what was found and a form to report the 整改. */
export function rectifyNoticeCard(r: ReviewRow, c: ReviewCase, returnedReason?: string): Record<string, unknown> {
  const head = returnedReason !== undefined
    ? `信访局未通过贵单位的整改报告，请重新整改后再次报告。${returnedReason ? `\n**意见**：${escapeMd(returnedReason)}` : ''}`
    : `信访局评查发现该信访事项的办理存在问题，请${escapeMd(r.fixUnit ?? '')}整改，并报告整改情况。`;
  return card({
    title: `评查整改通知 ${r.reviewNo}`,
    template: 'orange',
    elements: [
      markdown(head),
      caseFields(r, c),
      ...findings({ ...r, rectification: null }),
      form({
        name: 'review_report',
        elements: [input({ name: 'rectification', label: '整改情况', required: true, maxLength: 1000, multiline: true })],
        submit: { text: '报告整改', value: { action: REVIEW_ACTIONS.report, reviewNo: r.reviewNo } },
      }),
      markdown(`也可发送：整改 ${r.reviewNo} <整改情况>`),
    ],
  });
}

/** To the reviewer: the unit's report, to accept (closing the review) or send back. */
export function reportToReviewerCard(r: ReviewRow, c: ReviewCase): Record<string, unknown> {
  return card({
    title: `整改报告待确认 ${r.reviewNo}`,
    template: 'wathet',
    elements: [
      caseFields(r, c),
      ...findings(r),
      buttonRow([button({ text: '确认整改', type: 'primary_filled', value: { action: REVIEW_ACTIONS.accept, reviewNo: r.reviewNo } })]),
      form({
        name: 'review_return',
        elements: [input({ name: 'reason', label: '退回意见', maxLength: 500 })],
        submit: { text: '退回重改', value: { action: REVIEW_ACTIONS.return, reviewNo: r.reviewNo } },
      }),
    ],
  });
}

/** 评查抽样: what was drawn, per unit, with the seed that draws it again. */
export function sampleCard(s: SampleResult): Record<string, unknown> {
  const head = [
    `**抽样编号**：${s.sampleId}（抽错了可在评查记录前发送“评查抽样 撤销 ${s.sampleId}”撤销）`,
    `**时间段**：${s.period.label}（${date(s.period.from)}至${date(s.period.to)}）`,
    `**抽样要求**：${s.asked}；可抽取的办结事项 ${s.population} 件${s.alreadyReviewed ? `（另有 ${s.alreadyReviewed} 件已评查，未再抽取）` : ''}`,
    `**实际抽取**：${s.reviews.length} 件${s.raisedTo ? `（按单位分层，每个有办结事项的单位至少 1 件，故多于要求）` : ''}`,
    `**随机种子**：${escapeMd(s.seed)}（同一种子、同样的事项，抽样结果相同）`,
  ];
  const byUnit = new Map<string, ReviewRow[]>();
  for (const r of s.reviews) byUnit.set(r.caseUnit, [...(byUnit.get(r.caseUnit) ?? []), r]);
  const units = s.byUnit.map((u) => {
    const rows = byUnit.get(u.unit) ?? [];
    return `**${escapeMd(u.unit)}**（${u.drawn}/${u.available} 件）：${rows.map((r) => `${r.reviewNo} ${r.caseNo}`).join('；')}`;
  });
  return card({
    title: `评查抽样 ${s.period.label}`,
    subtitle: `共抽取 ${s.reviews.length} 件，发送“评查 <案件编号>”逐件评查`,
    template: 'blue',
    elements: [markdown(head.join('\n')), divider(), markdown(units.join('\n'))],
  });
}

function ledgerLine(r: ReviewRow): string {
  const what = r.status === 'pending' ? '' : r.problems.length ? `：${r.problems.join('、')}` : '';
  return `${r.reviewNo} · ${r.caseNo} · ${escapeMd(r.caseUnit)} · ${REVIEW_STATUS_LABELS[r.status]}${escapeMd(what)}`;
}

/** 评查台账: the figures, then every review, grouped by status, a page of LEDGER_PAGE_SIZE at a time. */
export function ledgerCard(period: ReviewPeriod | null, rows: ReviewRow[], figures: ReviewFigures, page: number): Record<string, unknown> {
  const pages = Math.max(1, Math.ceil(rows.length / LEDGER_PAGE_SIZE));
  const p = Math.min(Math.max(1, page), pages);
  const shown = rows.slice((p - 1) * LEDGER_PAGE_SIZE, p * LEDGER_PAGE_SIZE);
  const elements: CardElement[] = [
    markdown(`评查 **${figures.reviewed}** 件，发现问题 **${figures.problems}** 个（涉及 ${figures.withProblems} 件），已整改 **${figures.fixed}** 个；待评查 ${rows.filter((r) => r.status === 'pending').length} 件`),
    divider(),
  ];
  if (!rows.length) elements.push(markdown('这个时间段还没有评查记录。管理员可发送“评查抽样 <时间段> <件数或比例>”抽取。'));
  for (const status of ['rectifying', 'reported', 'pending', 'fixed', 'ok'] as const) {
    const group = shown.filter((r) => r.status === status);
    if (group.length) elements.push(markdown(`**${REVIEW_STATUS_LABELS[status]}**（本页 ${group.length} 件）\n${group.map(ledgerLine).join('\n')}`));
  }
  if (p < pages) {
    elements.push(button({ text: `下一页（第 ${p + 1}/${pages} 页）`, type: 'primary', value: { action: REVIEW_ACTIONS.ledger, period: period?.label ?? '', page: p + 1 } }));
  }
  if (rows.length) elements.push(markdown('发送“评查 <评查编号或案件编号>”查看一件的详情。'));
  return card({ title: `评查台账${period ? ` ${period.label}` : ''}`, subtitle: pages > 1 ? `第 ${p}/${pages} 页，共 ${rows.length} 件` : `共 ${rows.length} 件`, template: 'blue', elements });
}

/** What a 整改 reminder shows: no petitioner at all (it goes to groups). */
export interface RectifyReminderView {
  review: Pick<ReviewRow, 'reviewNo' | 'caseNo' | 'caseUnit' | 'problems' | 'fixUnit' | 'fixDueDate'>;
  phase: 'before' | 'due' | 'overdue';
  timeLeft: string;
  provisional: boolean;
  /** unit: the unit that must fix it (with the report form); bureau: the bureau (overdue, or the unit has nobody to tell); director: 超期报局领导. */
  audience: 'unit' | 'bureau' | 'director';
}

const REMINDER_NOTE: Record<RectifyReminderView['audience'], string> = { unit: '', bureau: '（抄送信访局）', director: '（超期报局领导）' };

/** The reminder before, on and after a 整改's due date, to the unit that must fix it, and its escalation copies. */
export function rectifyReminderCard(v: RectifyReminderView): Record<string, unknown> {
  const r = v.review;
  const title = v.phase === 'overdue' ? `评查整改已超期：${r.reviewNo}` : v.phase === 'due' ? `评查整改今日到期：${r.reviewNo}` : `评查整改期限提醒：${r.reviewNo}`;
  const elements: CardElement[] = [
    fields([
      ['评查编号', r.reviewNo],
      ['案件编号', r.caseNo],
      ['承办单位', r.caseUnit],
      ['整改单位', r.fixUnit ?? '—'],
      ['发现问题', r.problems.join('、')],
      ['整改期限', `${r.fixDueDate ? formatChineseDate(r.fixDueDate) : '—'}${v.provisional ? '（该年节假日未导入，暂按周末推算）' : ''}`],
      ['剩余时间', v.timeLeft],
    ]),
  ];
  if (v.audience === 'unit') {
    elements.push(
      divider(),
      form({
        name: 'review_report',
        elements: [input({ name: 'rectification', label: '整改情况', required: true, maxLength: 1000, multiline: true })],
        submit: { text: '报告整改', value: { action: REVIEW_ACTIONS.report, reviewNo: r.reviewNo } },
      }),
      markdown(`也可发送：整改 ${r.reviewNo} <整改情况>`),
    );
  } else {
    elements.push(markdown(`${escapeMd(r.fixUnit ?? '')}尚未报告整改情况，请督促。发送“评查 ${r.reviewNo}”查看详情。`));
  }
  return card({ title, subtitle: `评查整改期限${REMINDER_NOTE[v.audience]}`, template: v.phase === 'overdue' ? 'red' : v.phase === 'due' ? 'orange' : 'blue', elements });
}
