import type { IsoDate } from '../../platform/calendar/domain/dates';
import { shanghaiDate, shanghaiTime, weekday } from '../../platform/calendar/domain/dates';
import { maskPersonalDataInText } from '../../platform/personal-data/masking';
import { CASE_STATUS_LABELS, CaseStatus, DEADLINE_LABELS } from './case-status';

/**
 * One entry of a case's audit trail (case_events) as a sentence a person reads: when (12月1日（周二）
 * 09:30), who (a name, or 系统), what was done, from which state to which, and why. The one place
 * that knows every action written to case_events: the transitions (case-lifecycle.ts), 登记, the
 * bot's own entries (督办函 flags of the reminders, deadlines moved by a holiday import) and the
 * letters sent. An action it does not know still reads as Chinese, never as its code.
 */

export interface AuditLabelInput {
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: string;
  actorName: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

export interface AuditLabelOptions {
  /** Today in Shanghai: a moment of this year reads without its year. */
  today?: IsoDate;
  /** A user's name by id (the leader of 包案), when known. */
  nameOf?: (id: string) => string | null;
  /** The petitioner cannot be reached (anonymous, no phone or address): a 办结 answers nobody. */
  unreachable?: boolean;
}

/** The actor id of the entries the bot writes itself. */
export const SYSTEM_ACTOR_ID = 'system';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** 12月1日（周二）, with the year when it is not this year's. */
export function auditDate(date: IsoDate, today?: IsoDate): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = today && today.slice(0, 4) === date.slice(0, 4) ? '' : `${y}年`;
  return `${year}${m}月${d}日（${WEEKDAYS[weekday(date)]}）`;
}

/** 12月1日（周二）09:30 in Shanghai time. */
export function auditMoment(at: Date, today?: IsoDate): string {
  return `${auditDate(shanghaiDate(at), today)}${shanghaiTime(at)}`;
}

export function auditActor(e: Pick<AuditLabelInput, 'actorId' | 'actorName'>): string {
  if (e.actorName) return e.actorName;
  if (e.actorId === SYSTEM_ACTOR_ID) return '系统';
  return `用户 ${e.actorId}`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

function deadlineName(kind: unknown): string {
  const k = str(kind);
  return (DEADLINE_LABELS as Record<string, string>)[k] ?? '办理期限';
}

function dayOf(v: unknown, today?: IsoDate): string {
  const s = str(v);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? auditDate(s, today) : s;
}

type Describe = (e: AuditLabelInput, o: AuditLabelOptions) => string;

/** What was done, per action; the reason's own word after it (理由, 答复摘要, …), or null to leave it out. */
const ACTIONS: Record<string, { did: Describe; why: string | null | ((o: AuditLabelOptions) => string) }> = {
  register: { did: () => '登记了案件', why: '说明' },
  accept: { did: () => '受理了案件（由信访局自行办理）', why: '理由' },
  reject: { did: () => '决定不予受理', why: '理由' },
  transfer: { did: (e) => `把案件转送至${str(e.data?.organ) || '其他机关'}`, why: '理由' },
  assign: { did: (e) => `把案件交办给${str(e.data?.unit) || '承办单位'}`, why: '理由' },
  unitAccept: { did: () => '受理了交办的案件', why: '理由' },
  unitReject: { did: (e) => `以${str(e.data?.unit) || '承办单位'}名义决定不予受理`, why: '理由' },
  unitReturn: { did: (e) => `把案件从${str(e.data?.unit) || '承办单位'}退回信访局`, why: '理由' },
  extend: { did: (e) => `延长办结期限${str(e.data?.days) ? ` ${str(e.data?.days)} 日` : ''}`, why: '理由' },
  conclude: {
    did: (_e, o) => (o.unreachable ? '办结（信访人无法联系，未作答复）' : '办结并答复信访人'),
    why: (o) => (o.unreachable ? '办理结果' : '答复摘要'),
  },
  requestReview: { did: () => '登记了信访人的复查申请', why: '说明' },
  answerReview: { did: () => '作出复查答复', why: '复查意见' },
  requestRecheck: { did: () => '登记了信访人的复核申请', why: '说明' },
  answerRecheck: { did: () => '作出复核答复', why: '复核意见' },
  own: {
    did: (e, o) => {
      const id = str(e.data?.leaderId);
      const name = id ? o.nameOf?.(id) ?? null : null;
      return `确定包案领导${name ? `为${name}` : ''}`;
    },
    why: '说明',
  },
  supervise: { did: () => '挂牌督办', why: '督办要求' },
  progress: { did: () => '报告办理进展', why: '进展' },
  letter: {
    did: (e, o) => {
      const type = str(e.data?.type) || '函件';
      const number = str(e.data?.number);
      const about = e.data?.kind ? `，事由：${deadlineName(e.data.kind)}${e.data.dueDate ? `（${dayOf(e.data.dueDate, o.today)}）` : ''}` : '';
      const unit = str(e.data?.unit);
      return `向${unit || '承办单位'}发出${type}${number ? ` ${number}` : ''}${about}`;
    },
    why: null,
  },
  flag_letter: {
    did: (e, o) => {
      const letter = str(e.data?.letter) || '督办函';
      const due = e.data?.dueDate ? `（${dayOf(e.data.dueDate, o.today)}到期）` : '';
      const late = str(e.data?.overdueWorkingDays);
      return `提示需发${letter}：${deadlineName(e.data?.kind)}${due}${late ? `已逾期 ${late} 个工作日` : '已逾期'}`;
    },
    why: null,
  },
  deadline_moved: {
    did: (e, o) => `因节假日安排调整，把${deadlineName(e.data?.kind)}从${dayOf(e.data?.from, o.today)}改为${dayOf(e.data?.to, o.today)}`,
    why: '原因',
  },
};

/** The reason without its kind's prefix that deadline_moved repeats ("办结期限：…"). */
function reasonOf(e: AuditLabelInput): string {
  // Saved before the words were read with their ：taken off (“不予受理 2026-000069：…”): not 理由：：.
  const r = str(e.reason).replace(/^[\s:：]+/, '');
  if (e.action === 'deadline_moved') {
    const prefix = `${deadlineName(e.data?.kind)}：`;
    return r.startsWith(prefix) ? r.slice(prefix.length) : r;
  }
  return r;
}

function statusName(s: CaseStatus | null): string {
  return s ? (CASE_STATUS_LABELS as Record<string, string>)[s] ?? '其他状态' : '';
}

function moveOf(e: AuditLabelInput): string {
  if (e.toStatus && !e.fromStatus) return `，状态为“${statusName(e.toStatus)}”`;
  if (e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus) return `，状态由“${statusName(e.fromStatus)}”变为“${statusName(e.toStatus)}”`;
  return '';
}

/**
 * The sentence of one audit entry: "12月1日（周二）09:30，张晓燕把案件交办给县自然资源局，状态由
 * “已登记”变为“已交办”。" Personal data in a reason (an ID or mobile number) is masked.
 */
export function auditLabel(e: AuditLabelInput, o: AuditLabelOptions = {}): string {
  const known = Object.prototype.hasOwnProperty.call(ACTIONS, e.action) ? ACTIONS[e.action] : null;
  const did = known ? known.did(e, o) : '进行了一项其他办理操作';
  const word = known ? (typeof known.why === 'function' ? known.why(o) : known.why) : '说明';
  const reason = reasonOf(e);
  const why = reason && word ? `，${word}：${maskPersonalDataInText(reason)}` : '';
  const sentence = `${auditMoment(e.at, o.today)}，${auditActor(e)}${did}${moveOf(e)}${why}`;
  // A reason that ends a sentence of its own (…判决。) is not given a second 。.
  return /[。！？!?]$/.test(sentence) ? sentence : `${sentence}。`;
}
