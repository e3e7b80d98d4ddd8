import type { IsoDate } from '../../platform/calendar/domain/dates';
import { formatChineseDate } from '../../platform/calendar/domain/dates';
import { MAX_EXTENSION_DAYS } from './case-deadlines';
import { CASE_STATUS_LABELS, CaseStatus, OPEN_STATUSES } from './case-status';

/**
 * The legal life of a case as a pure state machine (《信访工作条例》 arts. 22, 23, 34–36, 38–40):
 *
 *   registered ─受理─> handling            (the bureau handles it itself)
 *              ─不予受理─> not_accepted
 *              ─转送─> transferred         (to another organ)
 *              ─交办─> assigned            (to a unit)
 *   assigned   ─单位受理─> handling | ─单位不予受理─> not_accepted | ─退回─> registered
 *   handling   ─延期 (once, ≤ 30 days)─> handling ─办结─> concluded
 *   concluded  ─申请复查 (in the window)─> review ─复查答复─> reviewed
 *   reviewed   ─申请复核 (in the window)─> recheck ─复核答复─> closed
 *
 * plus marks that keep the status: 包案 (a leader owns it), 挂牌督办, and a unit's progress notes.
 * Who may do what is decided beside it, in case-access.ts.
 */

export const CASE_ACTIONS = [
  'accept', 'reject', 'transfer', 'assign',
  'unitAccept', 'unitReject', 'unitReturn',
  'extend', 'conclude',
  'requestReview', 'answerReview', 'requestRecheck', 'answerRecheck',
  'own', 'supervise', 'progress',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Record<CaseAction, string> = {
  accept: '受理',
  reject: '不予受理',
  transfer: '转送',
  assign: '交办',
  unitAccept: '单位受理',
  unitReject: '单位不予受理',
  unitReturn: '退回',
  extend: '延期',
  conclude: '办结',
  requestReview: '申请复查',
  answerReview: '复查答复',
  requestRecheck: '申请复核',
  answerRecheck: '复核答复',
  own: '包案',
  supervise: '挂牌督办',
  progress: '报告进展',
};

export type CaseCommand =
  | { action: 'accept' }
  | { action: 'reject'; reason: string }
  | { action: 'transfer'; organ: string }
  | { action: 'assign'; unit: string }
  | { action: 'unitAccept' }
  | { action: 'unitReject'; reason: string }
  | { action: 'unitReturn'; reason: string }
  | { action: 'extend'; days: number; reason: string }
  | { action: 'conclude'; summary: string }
  | { action: 'requestReview'; note?: string }
  | { action: 'answerReview'; summary: string }
  | { action: 'requestRecheck'; note?: string }
  | { action: 'answerRecheck'; summary: string }
  | { action: 'own'; leaderId: string }
  | { action: 'supervise'; note?: string }
  | { action: 'progress'; note: string };

/** What the machine needs to know about a case. */
export interface CaseState {
  caseNo: string;
  status: CaseStatus;
  unit: string | null;
  leaderId: string | null;
  supervised: boolean;
  extensionDays: number | null;
  /** Last day of the conclusion period (办结期限) while handling, if known. */
  conclusionDue?: IsoDate | null;
  /** Last day the petitioner may ask for 复查 / 复核, if known. */
  reviewRequestDue?: IsoDate | null;
  recheckRequestDue?: IsoDate | null;
}

/** The columns a transition sets. */
export interface CaseChange {
  status?: CaseStatus;
  unit?: string | null;
  transferTo?: string | null;
  leaderId?: string | null;
  supervised?: boolean;
  acceptedDate?: IsoDate | null;
  repliedDate?: IsoDate | null;
  extensionDays?: number | null;
  replySummary?: string | null;
  decidedDate?: IsoDate | null;
  assignedDate?: IsoDate | null;
  decisionReason?: string | null;
  reviewRequestedDate?: IsoDate | null;
  reviewRepliedDate?: IsoDate | null;
  recheckRequestedDate?: IsoDate | null;
  recheckRepliedDate?: IsoDate | null;
}

export type TransitionResult =
  | { ok: true; from: CaseStatus; to: CaseStatus; change: CaseChange; reason: string | null; data: Record<string, unknown> }
  | { ok: false; error: string };

export const TEXT_LIMITS = { reason: 500, summary: 2000, note: 1000, organ: 128 } as const;

/** The statuses each action starts from. */
export const ACTION_FROM: Record<CaseAction, readonly CaseStatus[]> = {
  accept: ['registered'],
  reject: ['registered'],
  transfer: ['registered'],
  assign: ['registered'],
  unitAccept: ['assigned'],
  unitReject: ['assigned'],
  unitReturn: ['assigned'],
  extend: ['handling'],
  conclude: ['handling'],
  requestReview: ['concluded'],
  answerReview: ['review'],
  requestRecheck: ['reviewed'],
  answerRecheck: ['recheck'],
  own: OPEN_STATUSES,
  supervise: OPEN_STATUSES,
  progress: ['assigned', 'handling'],
};

const label = (s: CaseStatus) => CASE_STATUS_LABELS[s] ?? s;

function wrongState(state: CaseState, action: CaseAction): string {
  const name = CASE_ACTION_LABELS[action];
  const head = `案件 ${state.caseNo} 当前状态为“${label(state.status)}”，不能${name}`;
  if (state.status === 'closed') return `${head}：该事项已复核终结，《信访工作条例》第三十六条规定同一事项不再受理`;
  if (state.status === 'not_accepted' || state.status === 'transferred') return `${head}：该案件已${label(state.status)}，在本系统中已结束`;
  const from = ACTION_FROM[action].map((s) => `“${label(s)}”`).join('、');
  return `${head}（只有${from}的案件可以${name}）`;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function required(v: unknown, what: string, max: number): { ok: true; value: string } | { ok: false; error: string } {
  const s = text(v);
  if (!s) return { ok: false, error: `请填写${what}` };
  if (s.length > max) return { ok: false, error: `${what}过长（最多 ${max} 字，现有 ${s.length} 字）` };
  return { ok: true, value: s };
}

function optional(v: unknown, what: string, max: number): { ok: true; value: string | null } | { ok: false; error: string } {
  const s = text(v);
  if (s.length > max) return { ok: false, error: `${what}过长（最多 ${max} 字，现有 ${s.length} 字）` };
  return { ok: true, value: s || null };
}

/** Builds the successful result of a transition from `from` (status set only when it changes). */
type Done = (to: CaseStatus, change: CaseChange, reason?: string | null, data?: Record<string, unknown>) => TransitionResult;

type Step<A extends CaseAction> = (state: CaseState, cmd: Extract<CaseCommand, { action: A }>, today: IsoDate, done: Done) => TransitionResult;

/**
 * Applies a command to a case in its present state, on `today` (Shanghai date). Refuses an illegal
 * transition or bad input with the reason in Chinese; never throws for either.
 */
export function applyTransition(state: CaseState, cmd: CaseCommand, today: IsoDate): TransitionResult {
  const action = cmd.action;
  if (!(CASE_ACTIONS as readonly string[]).includes(action)) return { ok: false, error: `未知的操作“${String(action)}”` };
  if (!ACTION_FROM[action].includes(state.status)) return { ok: false, error: wrongState(state, action) };

  const from = state.status;
  const done: Done = (to, change, reason = null, data = {}) => ({
    ok: true, from, to, change: to === from ? change : { status: to, ...change }, reason, data,
  });

  switch (cmd.action) {
    case 'accept':
    case 'reject':
    case 'transfer':
    case 'assign':
      return bureauDecision(state, cmd, today, done);
    case 'unitAccept':
    case 'unitReject':
    case 'unitReturn':
      return unitDecision(state, cmd, today, done);
    case 'extend':
      return extend(state, cmd, today, done);
    case 'conclude':
    case 'answerReview':
    case 'answerRecheck':
      return reply(state, cmd, today, done);
    case 'requestReview':
    case 'requestRecheck':
      return appeal(state, cmd, today, done);
    case 'own':
    case 'supervise':
    case 'progress':
      return mark(state, cmd, today, done);
  }
}

/** 受理, 不予受理, 转送, 交办: what the bureau decides on a registered case (art. 22). */
const bureauDecision: Step<'accept' | 'reject' | 'transfer' | 'assign'> = (_state, cmd, today, done) => {
  switch (cmd.action) {
    case 'accept':
      // The bureau handles it itself: 受理 starts the 60 days at once.
      return done('handling', { acceptedDate: today, decidedDate: today, unit: null, decisionReason: null });
    case 'reject': {
      const r = required(cmd.reason, '不予受理的理由', TEXT_LIMITS.reason);
      if (!r.ok) return r;
      return done('not_accepted', { decidedDate: today, decisionReason: r.value }, r.value);
    }
    case 'transfer': {
      const r = required(cmd.organ, '转送机关名称', TEXT_LIMITS.organ);
      if (!r.ok) return r;
      return done('transferred', { decidedDate: today, transferTo: r.value, decisionReason: null }, null, { organ: r.value });
    }
    case 'assign': {
      const r = required(cmd.unit, '承办单位', 64);
      if (!r.ok) return r;
      // A reason left by an earlier 退回 no longer applies.
      return done('assigned', { decidedDate: today, assignedDate: today, unit: r.value, decisionReason: null }, null, { unit: r.value });
    }
  }
};

/** 单位受理, 单位不予受理, 退回: what the unit decides on a case assigned to it (art. 23). */
const unitDecision: Step<'unitAccept' | 'unitReject' | 'unitReturn'> = (state, cmd, today, done) => {
  switch (cmd.action) {
    case 'unitAccept':
      return done('handling', { acceptedDate: today });
    case 'unitReject': {
      const r = required(cmd.reason, '不予受理的理由', TEXT_LIMITS.reason);
      if (!r.ok) return r;
      return done('not_accepted', { decisionReason: r.value }, r.value, { unit: state.unit });
    }
    case 'unitReturn': {
      const r = required(cmd.reason, '退回的理由', TEXT_LIMITS.reason);
      if (!r.ok) return r;
      // Back to the bureau, which decides again (转送/交办 elsewhere, or handles it).
      return done('registered', { unit: null, assignedDate: null, decidedDate: null, decisionReason: r.value }, r.value, { unit: state.unit });
    }
  }
};

/** 延期: once, at most 30 days, before the conclusion period ends (art. 34). */
const extend: Step<'extend'> = (state, cmd, today, done) => {
  if (state.extensionDays) {
    return { ok: false, error: `案件 ${state.caseNo} 已延期过一次（${state.extensionDays} 日），《信访工作条例》第三十四条只允许延期一次` };
  }
  const days = Number(cmd.days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) {
    return { ok: false, error: `延期天数须为 1 至 ${MAX_EXTENSION_DAYS} 的整数，《信访工作条例》第三十四条规定延长期限不得超过 ${MAX_EXTENSION_DAYS} 日` };
  }
  const r = required(cmd.reason, '延期理由', TEXT_LIMITS.reason);
  if (!r.ok) return r;
  if (state.conclusionDue && today > state.conclusionDue) {
    return { ok: false, error: `案件 ${state.caseNo} 的办结期限已于 ${formatChineseDate(state.conclusionDue)}届满，期满后不能再延期` };
  }
  return done('handling', { extensionDays: days }, r.value, { days });
};

/** 办结, 复查答复, 复核答复: a written reply with its summary (arts. 34–36). */
const reply: Step<'conclude' | 'answerReview' | 'answerRecheck'> = (_state, cmd, today, done) => {
  switch (cmd.action) {
    case 'conclude': {
      const r = required(cmd.summary, '答复意见摘要', TEXT_LIMITS.summary);
      if (!r.ok) return r;
      return done('concluded', { repliedDate: today, replySummary: r.value }, r.value);
    }
    case 'answerReview': {
      const r = required(cmd.summary, '复查意见摘要', TEXT_LIMITS.summary);
      if (!r.ok) return r;
      return done('reviewed', { reviewRepliedDate: today, replySummary: r.value }, r.value);
    }
    case 'answerRecheck': {
      const r = required(cmd.summary, '复核意见摘要', TEXT_LIMITS.summary);
      if (!r.ok) return r;
      return done('closed', { recheckRepliedDate: today, replySummary: r.value }, r.value);
    }
  }
};

/** 申请复查, 申请复核: within 30 days of the reply (arts. 35, 36). */
const appeal: Step<'requestReview' | 'requestRecheck'> = (state, cmd, today, done) => {
  if (cmd.action === 'requestReview') {
    if (state.reviewRequestDue && today > state.reviewRequestDue) {
      return {
        ok: false,
        error: `案件 ${state.caseNo} 的复查申请期限已于 ${formatChineseDate(state.reviewRequestDue)}届满（《信访工作条例》第三十五条：收到书面答复之日起 30 日内提出），不能再申请复查`,
      };
    }
    const n = optional(cmd.note, '说明', TEXT_LIMITS.note);
    if (!n.ok) return n;
    return done('review', { reviewRequestedDate: today }, n.value);
  }
  if (state.recheckRequestDue && today > state.recheckRequestDue) {
    return {
      ok: false,
      error: `案件 ${state.caseNo} 的复核申请期限已于 ${formatChineseDate(state.recheckRequestDue)}届满（《信访工作条例》第三十六条：收到复查意见之日起 30 日内提出），不能再申请复核`,
    };
  }
  const n = optional(cmd.note, '说明', TEXT_LIMITS.note);
  if (!n.ok) return n;
  return done('recheck', { recheckRequestedDate: today }, n.value);
};

/** 包案, 挂牌督办, 报告进展: marks and notes that keep the status. */
const mark: Step<'own' | 'supervise' | 'progress'> = (state, cmd, _today, done) => {
  switch (cmd.action) {
    case 'own': {
      const id = text(cmd.leaderId);
      if (!id) return { ok: false, error: '请选择包案领导' };
      if (state.leaderId === id) return { ok: false, error: `案件 ${state.caseNo} 已由这位领导包案` };
      return done(state.status, { leaderId: id }, null, { leaderId: id, previous: state.leaderId });
    }
    case 'supervise': {
      if (state.supervised) return { ok: false, error: `案件 ${state.caseNo} 已经挂牌督办` };
      const n = optional(cmd.note, '督办要求', TEXT_LIMITS.note);
      if (!n.ok) return n;
      return done(state.status, { supervised: true }, n.value);
    }
    case 'progress': {
      const r = required(cmd.note, '进展情况', TEXT_LIMITS.note);
      if (!r.ok) return r;
      return done(state.status, {}, r.value);
    }
  }
};
