import type { Role } from '../../platform/directory/user-store';
import { CaseAction, CaseCommand } from './case-lifecycle';

/**
 * The case actions typed as words: `受理 2026-000322`, `延期 2026-000322 30 情况复杂需调查`… One word
 * may mean several actions (受理: the bureau's own or a unit's); which one is picked on the case's
 * state and the person's role, as the card's buttons are (CaseTransitions.pickAction). Here: the
 * words, how their arguments are read, and the usage line when a part is missing. Pure.
 */

export interface CaseWord {
  /** The word (first: its name in 帮助) and its aliases. */
  names: string[];
  help: string;
  /** Shown in 帮助 and in the usage lines. */
  example: string;
  /** Who may use it (帮助 lists it for these roles); the transition checks each case again. */
  roles: Role[];
  /** The actions it may mean, in the order they are tried. */
  actions: CaseAction[];
}

const BUREAU: Role[] = ['staff', 'admin'];
const BUREAU_AND_UNITS: Role[] = ['staff', 'admin', 'unit'];

export const EXAMPLE_NO = '2026-000322';


export const CASE_WORDS: readonly CaseWord[] = [
  { names: ['受理'], help: '受理案件（信访局自办，或承办单位受理交办的案件）', example: `受理 ${EXAMPLE_NO}`, roles: BUREAU_AND_UNITS, actions: ['accept', 'unitAccept'] },
  { names: ['不予受理'], help: '不予受理，须写明理由', example: `不予受理 ${EXAMPLE_NO} 已经人民法院判决`, roles: BUREAU_AND_UNITS, actions: ['reject', 'unitReject'] },
  { names: ['交办'], help: '交办给承办单位', example: `交办 ${EXAMPLE_NO} 县自然资源局`, roles: BUREAU, actions: ['assign'] },
  { names: ['转送'], help: '转送有权处理的机关', example: `转送 ${EXAMPLE_NO} 市中级人民法院`, roles: BUREAU, actions: ['transfer'] },
  { names: ['延期'], help: '延长办结期限（只能一次，不超过 30 日）', example: `延期 ${EXAMPLE_NO} 30 情况复杂需调查`, roles: BUREAU_AND_UNITS, actions: ['extend'] },
  { names: ['办结'], help: '办结并登记答复意见摘要', example: `办结 ${EXAMPLE_NO} 已协调解决，信访人表示满意`, roles: BUREAU_AND_UNITS, actions: ['conclude'] },
  { names: ['退回'], help: '把交办的案件退回信访局，须写明理由', example: `退回 ${EXAMPLE_NO} 不属本单位职责`, roles: BUREAU_AND_UNITS, actions: ['unitReturn'] },
  { names: ['进展', '报告进展'], help: '报告办理进展', example: `进展 ${EXAMPLE_NO} 已现场勘查，约谈双方`, roles: ['staff', 'admin', 'unit', 'leader'], actions: ['progress'] },
  { names: ['复查'], help: '登记复查申请；复查中的案件写复查意见即答复', example: `复查 ${EXAMPLE_NO}`, roles: BUREAU, actions: ['requestReview', 'answerReview'] },
  { names: ['复核'], help: '登记复核申请；复核中的案件写复核意见即答复', example: `复核 ${EXAMPLE_NO}`, roles: BUREAU, actions: ['requestRecheck', 'answerRecheck'] },
  { names: ['包案'], help: '确定包案领导', example: `包案 ${EXAMPLE_NO} 领导姓名`, roles: BUREAU, actions: ['own'] },
  { names: ['挂牌督办'], help: '挂牌督办，可写督办要求', example: `挂牌督办 ${EXAMPLE_NO} 请于月底前办结`, roles: ['staff', 'admin', 'leader'], actions: ['supervise'] },
];

/** A reading; `notes`: what the person should know about words that were not used. */
export type Read<T> = { ok: true; value: T; notes?: string[] } | { ok: false; error: string };

const CASE_NO_TOKEN = /^(\d{4}\s*[-－—]\s*\d{1,6})(?![\d])\s*([\s\S]*)$/;

/** Full-width digits (２０２６－０００３２, ３０) read as ASCII; the rest of the text (its ，：) is kept as typed. */
export function halfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/(?<=\d)\s*－\s*(?=\d)/g, '-');
}

/** Further case numbers typed right after the first ("受理 2026-000076，2026-000088"). */
const MORE_NOS = /^(?:[\s,，、;；和及]*\d{4}\s*[-－—]\s*\d{1,6}(?![\d]))+/;

/**
 * The case number and what follows it (a leading ：or ，taken off: “不予受理 2026-000069：理由”);
 * without a number, the usage line with the word's example. One case per message: further numbers
 * right after the first are left out and `others` lists them, so the reply can say so.
 */
export function splitCaseArgs(word: CaseWord, args: string): Read<{ caseNo: string; rest: string; others: string[] }> {
  const t = halfWidthDigits(args).trim();
  const m = CASE_NO_TOKEN.exec(t);
  if (m) {
    let rest = m[2].trim();
    const more = MORE_NOS.exec(rest);
    const others = more ? [...more[0].matchAll(/\d{4}\s*[-－—]\s*\d{1,6}/g)].map((x) => x[0].replace(/\s+/g, '')) : [];
    if (more) rest = rest.slice(more[0].length);
    rest = rest.replace(/^[\s:：,，、;；]+/, '').trim();
    return { ok: true, value: { caseNo: m[1].replace(/\s+/g, ''), rest, others } };
  }
  if (!t) return { ok: false, error: `请写明案件编号，例如：${word.example}` };
  const first = t.split(/\s+/)[0].slice(0, 20);
  return { ok: false, error: `“${first}”不是案件编号，案件编号形如 2026-000123。例如：${word.example}` };
}

/** What a missing part is called and an example of the whole command, per action that needs input. */
const NEEDS: Partial<Record<CaseAction, { what: string; example: (no: string) => string }>> = {
  reject: { what: '不予受理的理由', example: (no) => `不予受理 ${no} 已经人民法院判决` },
  unitReject: { what: '不予受理的理由', example: (no) => `不予受理 ${no} 不属于信访事项` },
  unitReturn: { what: '退回的理由', example: (no) => `退回 ${no} 不属本单位职责` },
  transfer: { what: '转送机关的名称', example: (no) => `转送 ${no} 市中级人民法院` },
  assign: { what: '承办单位', example: (no) => `交办 ${no} 县自然资源局` },
  extend: { what: '延期天数和理由', example: (no) => `延期 ${no} 30 情况复杂需调查` },
  conclude: { what: '答复意见摘要', example: (no) => `办结 ${no} 已协调解决，信访人表示满意` },
  answerReview: { what: '复查意见', example: (no) => `复查 ${no} 维持原答复意见` },
  answerRecheck: { what: '复核意见', example: (no) => `复核 ${no} 维持复查意见` },
  progress: { what: '办理进展', example: (no) => `进展 ${no} 已现场勘查，约谈双方` },
};

/** "请写明…，例如：…" for an action whose input is missing. */
export function usageLine(action: CaseAction, caseNo: string, what?: string): string {
  const n = NEEDS[action];
  return n ? `请写明${what ?? n.what}，例如：${n.example(caseNo)}` : '';
}

/** The choices a word's text is matched against: the unit list, and the leaders (for 包案). */
export interface WordChoices {
  units: readonly string[];
  leaders?: ReadonlyArray<{ id: string; name: string; title?: string | null }>;
}

/**
 * A 承办单位 typed in full or in part (自然资源局, 阳城镇): the one unit of the list it names; else
 * why not, with the list.
 */
export function matchUnit(typed: string, units: readonly string[]): Read<string> {
  const t = typed.trim();
  if (units.includes(t)) return { ok: true, value: t };
  const hits = t ? units.filter((u) => u.includes(t)) : [];
  if (hits.length === 1) return { ok: true, value: hits[0] };
  if (hits.length > 1) return { ok: false, error: `“${t}”对应多个承办单位：${hits.join('、')}。请写出全称。` };
  if (!units.length) return { ok: false, error: '还没有配置承办单位名录，无法交办。请联系管理员添加承办单位。' };
  return { ok: false, error: `承办单位“${t.slice(0, 30)}”不在单位名录中。可选的承办单位：${units.join('、')}。` };
}

/** “县教育局 请尽快办理”: the longest unit name the text starts with, and the words after it. */
function unitPrefix(typed: string, units: readonly string[]): { unit: string; note: string } | null {
  const t = typed.trim();
  const unit = [...units].sort((a, b) => b.length - a.length).find((u) => t.startsWith(u));
  return unit ? { unit, note: t.slice(unit.length).replace(/^[\s:：,，、;；]+/, '').trim() } : null;
}

type Leaders = NonNullable<WordChoices['leaders']>;

const leaderList = (leaders: Leaders) => leaders.map((l) => (l.title ? `${l.name}（${l.title}）` : l.name)).join('、');

function ownUsage(caseNo: string, leaders: Leaders): string {
  if (!leaders.length) return '还没有领导角色的用户，无法指定包案领导。请联系管理员添加领导。';
  return `请写明包案领导的姓名，例如：包案 ${caseNo} ${leaders[0].name}。可选的包案领导：${leaderList(leaders)}。`;
}

function matchLeader(typed: string, leaders: Leaders): Read<string> {
  const t = typed.trim();
  const hits = leaders.filter((l) => l.name === t || l.id === t);
  if (hits.length === 1) return { ok: true, value: hits[0].id };
  const list = leaderList(leaders);
  if (!leaders.length) return { ok: false, error: '还没有领导角色的用户，无法指定包案领导。请联系管理员添加领导。' };
  if (hits.length > 1) return { ok: false, error: `有多位领导名为“${t}”，请在案件卡片上点“包案”从列表中选择。` };
  return { ok: false, error: `没有名为“${t.slice(0, 20)}”的领导。可选的包案领导：${list}。` };
}

/**
 * 延期's "30 理由" or "30天 理由" or "30日，理由". A count such as -5 or 2.5 is read as typed, so that
 * the lifecycle refuses it with its rule (天数须为 1 至 30 的整数), not as words it did not understand.
 */
function readExtend(rest: string, caseNo: string): Read<CaseCommand> {
  const m = /^([-－—+]?\d{1,3}(?:\.\d+)?)\s*(?:个)?(?:日|天)?[\s,，:：]*([\s\S]*)$/.exec(rest);
  if (!m) return { ok: false, error: usageLine('extend', caseNo) };
  if (!m[2].trim()) return { ok: false, error: usageLine('extend', caseNo, '延期理由') };
  return { ok: true, value: { action: 'extend', days: Number(m[1].replace(/^[－—]/, '-')), reason: m[2].trim() } };
}

/**
 * The command of an action from the text after the case number. Missing input gets the usage line;
 * the limits (30 days, lengths, the state) are the lifecycle's to check, as for a button.
 */
export function commandFromWords(action: CaseAction, caseNo: string, rest: string, choices: WordChoices): Read<CaseCommand> {
  const missing = (): Read<CaseCommand> => ({ ok: false, error: usageLine(action, caseNo) });
  switch (action) {
    case 'accept':
    case 'unitAccept':
      return { ok: true, value: { action } };
    case 'reject':
    case 'unitReject':
    case 'unitReturn':
      return rest ? { ok: true, value: { action, reason: rest } } : missing();
    case 'transfer':
      return rest ? { ok: true, value: { action, organ: rest } } : missing();
    case 'assign': {
      if (!rest) return { ok: false, error: `${usageLine(action, caseNo)}。可选的承办单位：${choices.units.join('、')}。` };
      const prefix = unitPrefix(rest, choices.units);
      if (prefix && prefix.note) {
        return {
          ok: true, value: { action, unit: prefix.unit },
          notes: [`交办不附言，“${prefix.note.slice(0, 30)}”未记入案件；如需告知承办单位，可在交办后发送“进展 ${caseNo} ${prefix.note.slice(0, 30)}”。`],
        };
      }
      const unit = matchUnit(rest, choices.units);
      return unit.ok ? { ok: true, value: { action, unit: unit.value } } : unit;
    }
    case 'extend':
      return readExtend(rest, caseNo);
    case 'conclude':
    case 'answerReview':
    case 'answerRecheck':
      return rest ? { ok: true, value: { action, summary: rest } } : missing();
    case 'progress':
      return rest ? { ok: true, value: { action, note: rest } } : missing();
    case 'requestReview':
    case 'requestRecheck':
    case 'supervise':
      return { ok: true, value: { action, note: rest } };
    case 'own': {
      if (!rest) return { ok: false, error: ownUsage(caseNo, choices.leaders ?? []) };
      const leader = matchLeader(rest, choices.leaders ?? []);
      return leader.ok ? { ok: true, value: { action, leaderId: leader.value } } : leader;
    }
  }
}
