import { formatChineseDate, shanghaiDate, shanghaiTime } from '../platform/calendar/domain/dates';
import { PROVISIONAL_NOTE } from './domain/case-deadlines';
import { petitionerUnreachable, unreachableNote } from './domain/anonymous-petition';
import { CASE_ACTION_LABELS, CaseAction, TEXT_LIMITS } from './domain/case-lifecycle';
import { maskIdNumber, maskPersonalDataInText, maskPhone } from '../platform/personal-data/masking';
import type { CaseRow } from './case-store';
import { button, buttonRow, card, CardElement, divider, escapeMd, fields, form, input, markdown, select, Template } from '../platform/cards/card-kit';

/** A case as a card shows it: the fields of a stored case the card reads. */
export type CaseCardData = Pick<
  CaseRow,
  | 'caseNo' | 'name' | 'idNumber' | 'phone' | 'address' | 'headcount' | 'isGroup' | 'channel' | 'town' | 'category'
  | 'purpose' | 'content' | 'receivedAt' | 'unit' | 'transferTo' | 'supervised' | 'extensionDays' | 'replySummary' | 'decisionReason'
> & { status: string; statusLabel: string; anonymous?: boolean };

export interface CaseCardDeadline {
  label: string;
  dueDate: string;
  status: 'open' | 'met' | 'void';
  provisional: boolean;
  daysLeft: number | null;
}

export interface CaseCardLink {
  caseNo: string;
  statusLabel: string;
  receivedDate: string;
  category: string;
}

export interface CaseCardOptions {
  deadlines: CaseCardDeadline[];
  links?: CaseCardLink[];
  /** The buttons the viewer may press in the case's state. */
  actions?: CaseAction[];
  /** Show the ID number, phone and address whole: only staff/admin asking for one case in a P2P chat. */
  reveal?: boolean;
  /** 包案领导's name, when one owns it. */
  leaderName?: string | null;
  /** A line above the fields, e.g. "新交办案件". */
  note?: string;
  /** The audit trail as sentences (domain/audit-labels.ts), oldest first; the card shows the newest few. */
  audit?: string[];
}

/** The card action name of each transition. */
export const ACTION_VALUES: Record<CaseAction, string> = {
  accept: 'case.accept',
  reject: 'case.reject',
  transfer: 'case.transfer',
  assign: 'case.assign',
  unitAccept: 'case.unitAccept',
  unitReject: 'case.unitReject',
  unitReturn: 'case.unitReturn',
  extend: 'case.extend',
  conclude: 'case.conclude',
  requestReview: 'case.review',
  answerReview: 'case.reviewAnswer',
  requestRecheck: 'case.recheck',
  answerRecheck: 'case.recheckAnswer',
  own: 'case.own',
  supervise: 'case.supervise',
  progress: 'case.progress',
};

/** Opens a case's card (reminder cards and lists link here). */
export const VIEW_ACTION = 'case.view';

export const CONTENT_PREVIEW_CHARS = 200;

/** How a deadline reads: its day, and the working days left or late. */
export function deadlineLine(d: CaseCardDeadline): string {
  const when = formatChineseDate(d.dueDate);
  let state: string;
  if (d.status === 'met') state = '已完成';
  else if (d.status === 'void') state = '不再适用';
  else if (d.daysLeft === null) state = '进行中';
  else if (d.daysLeft < 0) state = `**已逾期 ${-d.daysLeft} 个工作日**`;
  else if (d.daysLeft === 0) state = '**今天到期**';
  else state = `剩余 ${d.daysLeft} 个工作日`;
  return `${d.label}：${when} · ${state}${d.provisional ? PROVISIONAL_NOTE : ''}`;
}

export function caseMarks(
  c: Pick<CaseCardData, 'isGroup' | 'headcount' | 'supervised'> & Partial<Pick<CaseCardData, 'anonymous' | 'phone' | 'address'>> & { leaderName?: string | null },
): string[] {
  const marks: string[] = [];
  if (c.isGroup) marks.push(`集体访（${c.headcount}人）`);
  if (c.leaderName) marks.push(`领导包案：${c.leaderName}`);
  if (c.supervised) marks.push('挂牌督办');
  if (c.anonymous) marks.push(petitionerUnreachable(c) ? '匿名或身份不明（无法联系的不设告知期限）' : '匿名或身份不明');
  return marks;
}

function maskUnlessRevealed(s: string | null, reveal: boolean): string | null {
  return s && !reveal ? maskPersonalDataInText(s) : s;
}

function truncate(s: string, n: number): string {
  const chars = [...s];
  return chars.length > n ? `${chars.slice(0, n).join('')}…（共 ${chars.length} 字）` : s;
}

function templateFor(c: CaseCardData, deadlines: CaseCardDeadline[]): Template {
  if (deadlines.some((d) => d.status === 'open' && d.daysLeft !== null && d.daysLeft < 0)) return 'red';
  if (c.supervised) return 'orange';
  if (['not_accepted', 'transferred', 'closed'].includes(c.status)) return 'grey';
  if (c.status === 'concluded' || c.status === 'reviewed') return 'green';
  return 'blue';
}

/** The case card: who, what, where, the deadlines, the marks, the linked cases and the allowed buttons. */
export function buildCaseCard(c: CaseCardData, opts: CaseCardOptions): Record<string, unknown> {
  const reveal = opts.reveal === true;
  const marks = caseMarks({ ...c, leaderName: opts.leaderName });
  const received = `${formatChineseDate(shanghaiDate(c.receivedAt))} ${shanghaiTime(c.receivedAt)}`;
  const elements: CardElement[] = [];
  if (opts.note) elements.push(markdown(`**${escapeMd(opts.note)}**`));
  if (marks.length) elements.push(markdown(marks.map((m) => `【${escapeMd(m)}】`).join(' ')));
  // Said on every card of such a case, not only the 交办 one: whoever acts on it must not try to notify.
  if (petitionerUnreachable(c) && !opts.note?.includes(unreachableNote(c))) elements.push(markdown(escapeMd(`${unreachableNote(c)}。`)));
  elements.push(
    fields([
      ['编号', c.caseNo],
      ['状态', c.statusLabel],
      ['信访人', c.isGroup ? `${c.name} 等 ${c.headcount} 人` : c.name],
    ]),
  );
  // Personal data as plain text: no markdown escapes, so a mask reads exactly as 441823********6012.
  const personal = [
    c.idNumber ? `身份证号：${reveal ? c.idNumber : maskIdNumber(c.idNumber)}` : null,
    c.phone ? `联系电话：${reveal ? c.phone : maskPhone(c.phone)}` : null,
    reveal && c.address ? `住址：${c.address}` : null,
  ].filter((x): x is string => x !== null);
  if (personal.length) elements.push({ tag: 'div', text: { tag: 'plain_text', content: personal.join('\n') } });
  elements.push(
    fields([
      ['信访形式', c.channel],
      ['问题属地', c.town],
      ['问题类别', c.category],
      ['信访目的', c.purpose],
      ['登记时间', received],
      ['承办单位', c.unit],
      ['转送机关', c.transferTo],
      ['延期', c.extensionDays ? `已延期 ${c.extensionDays} 日` : null],
      [c.status === 'registered' ? '退回理由' : '不予受理理由', c.status === 'registered' || c.status === 'not_accepted' ? maskUnlessRevealed(c.decisionReason, reveal) : null],
    ]),
  );
  const content = truncate(c.content, CONTENT_PREVIEW_CHARS);
  elements.push(markdown(`**事项内容**：${escapeMd(reveal ? content : maskPersonalDataInText(content))}`));
  if (c.replySummary) {
    const reply = truncate(c.replySummary, CONTENT_PREVIEW_CHARS);
    elements.push(markdown(`**答复意见**：${escapeMd(reveal ? reply : maskPersonalDataInText(reply))}`));
  }

  const shown = opts.deadlines.filter((d) => d.status !== 'void');
  if (shown.length) {
    elements.push(divider());
    elements.push(markdown(`**办理期限**\n${shown.map(deadlineLine).join('\n')}`));
  }

  if (opts.links?.length) {
    elements.push(divider());
    const lines = opts.links
      .slice(0, 10)
      .map((l) => `${l.caseNo}（${formatChineseDate(l.receivedDate, false)}，${escapeMd(l.category)}，${l.statusLabel}）`);
    const more = opts.links.length > 10 ? `\n…另有 ${opts.links.length - 10} 件` : '';
    elements.push(markdown(`**关联案件（重复信访）**：共 ${opts.links.length} 件\n${lines.join('\n')}${more}`));
  }

  elements.push(...auditSection(opts.audit));
  elements.push(...actionButtons(c.caseNo, opts.actions ?? []));

  return card({
    title: `信访件 ${c.caseNo}`,
    subtitle: [c.statusLabel, ...marks].join(' · '),
    template: templateFor(c, opts.deadlines),
    elements,
  });
}

/** The buttons the viewer may press, under a divider. */
function actionButtons(caseNo: string, actions: CaseAction[]): CardElement[] {
  if (!actions.length) return [];
  const row = buttonRow(
    actions.map((a) =>
      button({
        text: CASE_ACTION_LABELS[a],
        value: { action: ACTION_VALUES[a], caseNo },
        type: a === 'accept' || a === 'unitAccept' || a === 'conclude' ? 'primary' : a === 'reject' || a === 'unitReject' ? 'danger' : 'default',
        ...(a === 'accept' || a === 'unitAccept' ? { confirm: { title: `确认${CASE_ACTION_LABELS[a]}`, text: `确认${CASE_ACTION_LABELS[a]}案件 ${caseNo}？` } } : {}),
      }),
    ),
  );
  return [divider(), row];
}

/** How many audit sentences a card shows (the newest); the whole trail is in `cases show`. */
export const AUDIT_ON_CARD = 5;

/** 办理记录: the newest entries of the audit trail as sentences, oldest of them first. */
function auditSection(audit: string[] | undefined): CardElement[] {
  if (!audit?.length) return [];
  const shown = audit.slice(-AUDIT_ON_CARD);
  const head = audit.length > shown.length ? `**办理记录**（最近 ${shown.length} 条，共 ${audit.length} 条）` : `**办理记录**（共 ${audit.length} 条）`;
  return [divider(), markdown(`${head}\n${shown.map((l) => escapeMd(l)).join('\n')}`)];
}

/** One line per case in a list (always masked), the most urgent open deadline last. */
export interface CaseListItem {
  caseNo: string;
  statusLabel: string;
  name: string;
  town: string;
  category: string;
  isGroup: boolean;
  headcount: number;
  supervised: boolean;
  leaderName?: string | null;
  /** The open deadline that matters now, if any. */
  next: CaseCardDeadline | null;
}

export const LIST_LIMIT = 20;

export function buildCaseListCard(opts: { title: string; items: CaseListItem[]; total?: number; empty: string; hint?: string }): Record<string, unknown> {
  const elements: CardElement[] = [];
  if (!opts.items.length) {
    elements.push(markdown(escapeMd(opts.empty)));
  } else {
    for (const it of opts.items.slice(0, LIST_LIMIT)) {
      const marks = caseMarks(it).map((m) => `【${escapeMd(m)}】`).join('');
      const due = it.next ? `\n${deadlineLine(it.next)}` : '';
      elements.push({
        tag: 'column_set',
        flex_mode: 'none',
        columns: [
          {
            tag: 'column',
            width: 'weighted',
            weight: 4,
            elements: [markdown(`**${it.caseNo}** ${it.statusLabel}${marks}\n${escapeMd(it.name)} · ${escapeMd(it.town)} · ${escapeMd(it.category)}${due}`)],
          },
          { tag: 'column', width: 'auto', elements: [button({ text: '查看', value: { action: 'case.view', caseNo: it.caseNo } })] },
        ],
      });
    }
    const total = opts.total ?? opts.items.length;
    if (total > LIST_LIMIT) elements.push(markdown(`仅显示前 ${LIST_LIMIT} 件，共 ${total} 件。`));
  }
  if (opts.hint) elements.push(markdown(escapeMd(opts.hint)));
  return card({ title: opts.title, subtitle: opts.items.length ? `共 ${opts.total ?? opts.items.length} 件` : undefined, template: 'blue', elements });
}

/** The form a button opens when its action needs input; null for actions that need none. */
export function buildActionForm(
  action: CaseAction,
  caseNo: string,
  choices: {
    units?: string[];
    leaders?: Array<{ id: string; name: string; title?: string | null }>;
    /** The petitioner cannot be reached (anonymous, no phone or address): no notice, no reply to write. */
    unreachable?: boolean;
  } = {},
): Record<string, unknown> | null {
  const far = choices.unreachable === true;
  const submit = (text: string) => ({ text, value: { action: ACTION_VALUES[action], caseNo, submit: true } });
  const wrap = (title: string, elements: CardElement[], submitText: string) =>
    card({ title: `${title} · ${caseNo}`, template: 'blue', elements: [form({ name: `case_${action}`, elements, submit: submit(submitText) })] });
  // Lark's input takes at most 1000 characters; longer limits apply to text that arrives by other paths.
  const cap = (n: number) => Math.min(n, 1000);
  const L = { reason: cap(TEXT_LIMITS.reason), organ: cap(TEXT_LIMITS.organ), summary: cap(TEXT_LIMITS.summary), note: cap(TEXT_LIMITS.note) };
  switch (action) {
    case 'reject':
    case 'unitReject':
      return wrap('不予受理', [input({ name: 'reason', label: far ? '不予受理的理由（信访人无法联系，不出具告知书，理由存档备查）' : '不予受理的理由（将写入告知书）', required: true, maxLength: L.reason, multiline: true })], '确认不予受理');
    case 'unitReturn':
      return wrap('退回信访局', [input({ name: 'reason', label: '退回理由（如：不属本单位职责）', required: true, maxLength: L.reason, multiline: true })], '确认退回');
    case 'transfer':
      return wrap('转送', [input({ name: 'organ', label: '转送至（有权处理的机关名称）', required: true, maxLength: L.organ })], '确认转送');
    case 'assign':
      // Lark refuses a select without options: with no units in config/reference.json, say so instead.
      if (!choices.units?.length) {
        return card({ title: `交办 · ${caseNo}`, template: 'orange', elements: [markdown('还没有配置承办单位名录，无法交办。请管理员添加承办单位后再试。')] });
      }
      return wrap('交办', [select({ name: 'unit', label: '承办单位', options: choices.units, required: true })], '确认交办');
    case 'extend':
      return wrap('延期', [
        input({ name: 'days', label: '延长天数（不超过 30 日，只能延期一次）', required: true, maxLength: 2, placeholder: '例如 30' }),
        input({ name: 'reason', label: '延期理由（经本机关负责人批准）', required: true, maxLength: L.reason, multiline: true }),
      ], '确认延期');
    case 'conclude':
      return wrap('办结', [input({ name: 'summary', label: far ? '办理结果摘要（信访人无法联系，不作答复）' : '答复意见摘要', required: true, maxLength: L.summary, multiline: true })], '确认办结');
    case 'answerReview':
      return wrap('复查答复', [input({ name: 'summary', label: '复查意见摘要', required: true, maxLength: L.summary, multiline: true })], '确认答复');
    case 'answerRecheck':
      return wrap('复核答复', [input({ name: 'summary', label: '复核意见摘要', required: true, maxLength: L.summary, multiline: true })], '确认答复');
    case 'own':
      return wrap('领导包案', [
        select({
          name: 'leaderId',
          label: '包案领导',
          options: (choices.leaders ?? []).map((l) => ({ text: l.title ? `${l.name}（${l.title}）` : l.name, value: l.id })),
          required: true,
        }),
      ], '确认包案');
    case 'supervise':
      return wrap('挂牌督办', [input({ name: 'note', label: '督办要求（可不填）', maxLength: L.note, multiline: true })], '确认督办');
    case 'progress':
      return wrap('报告进展', [input({ name: 'note', label: '办理进展', required: true, maxLength: L.note, multiline: true })], '提交');
    case 'requestReview':
      return wrap('申请复查', [input({ name: 'note', label: '信访人的复查请求（可不填）', maxLength: L.note, multiline: true })], '登记复查申请');
    case 'requestRecheck':
      return wrap('申请复核', [input({ name: 'note', label: '信访人的复核请求（可不填）', maxLength: L.note, multiline: true })], '登记复核申请');
    default:
      return null;
  }
}
