import type { IsoDate } from '../../platform/calendar/domain/dates';

/**
 * The ledger's lists and rules: what a dispute may hold, how its number reads, who may see and
 * 销号 it. Pure: no database, no clock (`today` comes in).
 */
/** The ledger's lists as shipped; config/reference.json may replace each (disputeScreeningTypes …). */
export const DEFAULT_SCREENING_TYPES = ['定期排查', '专项排查'] as const;

/** Where a dispute was found (the county's 群诉平台, the grid, a visit, a call, other). */
export const DEFAULT_DISPUTE_SOURCES = ['群诉平台', '网格', '来访', '来电', '其他'] as const;

export const DEFAULT_RISK_LEVELS = ['高', '中', '低'] as const;

/** The lists a dispute's choices are checked against: the office's, from the reference data. */
export interface DisputeLists {
  screeningTypes: readonly string[];
  sources: readonly string[];
  riskLevels: readonly string[];
  categories: readonly string[];
  towns: readonly string[];
  units: readonly string[];
}

/** What the reference data holds of the ledger's lists (the keys are optional there). */
export interface DisputeReference {
  towns: readonly string[];
  units: readonly string[];
  categories: readonly string[];
  disputeScreeningTypes?: readonly string[];
  disputeSources?: readonly string[];
  disputeRiskLevels?: readonly string[];
  disputeCategories?: readonly string[];
}

/** The lists in force: the reference data's, else the defaults above; categories default to the case categories. */
export function disputeLists(ref: DisputeReference): DisputeLists {
  return {
    screeningTypes: ref.disputeScreeningTypes ?? DEFAULT_SCREENING_TYPES,
    sources: ref.disputeSources ?? DEFAULT_DISPUTE_SOURCES,
    riskLevels: ref.disputeRiskLevels ?? DEFAULT_RISK_LEVELS,
    categories: ref.disputeCategories ?? ref.categories,
    towns: ref.towns,
    units: ref.units,
  };
}

/** “来源“微信”不在列表中（可选：群诉平台、网格、…）”: a refused value with the allowed ones. */
export function notInListError(label: string, value: string, list: readonly string[]): string {
  return `${label}“${value}”不在列表中（可选：${list.join('、')}）`;
}

export const DISPUTE_STATUSES = ['open', 'resolved', 'escalated'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  open: '在办',
  resolved: '已化解',
  escalated: '转入信访事项',
};

/** The audit actions of dispute_events, as a person reads them. */
export const DISPUTE_ACTION_LABELS: Record<string, string> = {
  register: '排查登记',
  import: '台账导入',
  resolve: '销号（已化解）',
  escalate: '未化解，转入信访事项',
};

/** A party to a dispute: personal data, masked wherever not strictly needed. */
export interface DisputeParty {
  name: string;
  idNumber: string | null;
  phone: string | null;
}

/**
 * The dispute number: 排 + the year it was found + a four-digit sequence of that year
 * (排2026-0001). The 排 keeps it apart from a case number (2026-000123) wherever both are typed.
 */
export function formatDisputeNo(year: number, seq: number): string {
  return `排${year}-${String(seq).padStart(4, '0')}`;
}

export function disputeCounterName(year: number): string {
  return `disputes:${year}`;
}

/** Reads a typed number (排2026-0001, 排2026-1, 2026-0001); null when it is not one. */
export function parseDisputeNo(input: string): string | null {
  const m = /^排?\s*(\d{4})\s*[-－—]\s*(\d{1,5})$/.exec(input.trim());
  if (!m || Number(m[2]) < 1) return null;
  return formatDisputeNo(Number(m[1]), Number(m[2]));
}

/** Whether a word looks like a dispute number at all (for telling it from a town or a status word). */
export function looksLikeDisputeNo(input: string): boolean {
  return /^排?\s*\d{4}\s*[-－—]\s*\d{1,5}$/.test(input.trim());
}

/** A target date must not lie in the past; null when it is fine, otherwise why not. */
export function targetDateError(target: IsoDate, today: IsoDate): string | null {
  if (target < today) return `化解期限 ${target} 已经过去，不能早于今天（${today}）`;
  return null;
}

/** Who is asking: their role, their unit (unit users) and their town (leaders). */
export interface DisputeActor {
  id: string;
  role: 'admin' | 'staff' | 'leader' | 'unit';
  unit: string | null;
  town: string | null;
}

export interface DisputeScope {
  no: string;
  town: string;
  unit: string;
}

export function isBureau(a: Pick<DisputeActor, 'role'>): boolean {
  return a.role === 'staff' || a.role === 'admin';
}

/**
 * Staff and admin see everything; a unit the disputes it is responsible for; a town leader the
 * disputes of their town, a county leader (no town) the whole county.
 */
export function canViewDispute(a: DisputeActor, d: Pick<DisputeScope, 'town' | 'unit'>): boolean {
  if (isBureau(a)) return true;
  if (a.role === 'unit') return Boolean(a.unit) && a.unit === d.unit;
  if (a.role === 'leader') return !a.town || a.town === d.town;
  return false;
}

/** null when the actor may 销号 the dispute; otherwise why not, in Chinese. */
export function resolveError(a: DisputeActor, d: DisputeScope): string | null {
  if (isBureau(a)) return null;
  if (a.role === 'unit') return a.unit === d.unit ? null : `${d.no} 的责任单位是${d.unit}，您的单位不能为其销号`;
  return `销号由责任单位或信访局办理，领导不能直接操作`;
}

/** null when the actor may turn the dispute into a case; only the bureau registers cases. */
export function escalateError(a: DisputeActor): string | null {
  return isBureau(a) ? null : '转为信访事项由信访局登记，请联系信访局';
}

/** null when the dispute can still change; a closed one says how it closed. */
export function openError(d: { no: string; status: DisputeStatus; caseNo: string | null }): string | null {
  if (d.status === 'open') return null;
  if (d.status === 'resolved') return `${d.no} 已销号（已化解），不能再次办理`;
  return `${d.no} 已转入信访事项${d.caseNo ? ` ${d.caseNo}` : ''}，请按信访事项办理`;
}

/** The mandatory 化解情况 of a 销号: not empty, not a placeholder, at most `max` characters. */
export function resolutionError(text: string, max: number): string | null {
  const t = text.trim();
  if (!t) return '销号须写明化解情况，如：销号 排2026-0001 双方达成调解协议，已履行完毕';
  if ([...t].length < 4) return `化解情况“${t}”过于简单，请写明如何化解（至少 4 个字）`;
  if ([...t].length > max) return `化解情况最多 ${max} 字（现有 ${[...t].length} 字）`;
  return null;
}
