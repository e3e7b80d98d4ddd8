import { z } from 'zod';
import type { IsoDate } from '../../platform/calendar/domain';
import { maskPhone } from '../../platform/personal-data/masking';
import { validatePhone } from '../../platform/personal-data/phone';
import { RosterRulesError } from './rules';
import { SESSION_TYPES, Slot } from './types';

/**
 * 第三方力量 on reception days: lawyers, psychological counsellors and mediators who sit in on a
 * session. The rules (the roster rules file's "thirdParty" list), the fair rotation that applies
 * them when a plan is made, the half-day clash check of a by-hand assignment, and how a person
 * reads on a card, a calendar and the public page. Pure: no database, no clock.
 */
export const THIRD_PARTY_KINDS = ['律师', '心理咨询师', '调解员', '其他'] as const;
export type ThirdPartyKind = (typeof THIRD_PARTY_KINDS)[number];

/** Words people use for each kind. */
const KIND_WORDS: Record<string, ThirdPartyKind> = {
  律师: '律师', 法律顾问: '律师', 心理咨询师: '心理咨询师', 心理咨询: '心理咨询师', 心理: '心理咨询师', 心理医生: '心理咨询师',
  调解员: '调解员', 人民调解员: '调解员', 调解: '调解员', 其他: '其他', 其它: '其他',
};

export function parseThirdPartyKind(word: string): ThirdPartyKind | null {
  return KIND_WORDS[word.trim()] ?? null;
}

export interface ThirdParty {
  id: number;
  name: string;
  kind: ThirdPartyKind;
  organisation: string | null;
  /** Stored whole; shown only masked (maskPhone). */
  phone: string | null;
  active: boolean;
}

export type AssignHow = 'rule' | 'hand';

/** Someone booked on a session, as cards, pages and feeds show them. */
export interface SessionThirdParty extends ThirdParty {
  how: AssignHow;
  assignedBy: string;
  assignedAt: string;
}

const ruleSchema = z.object({
  kind: z.enum(THIRD_PARTY_KINDS),
  /** center: the county reception centre; town: every town venue; all: every venue; else a venue id or name. */
  venue: z.string().trim().min(1).default('center'),
  every: z.literal('session').default('session'),
  /** How many of that kind each session has. */
  count: z.number().int().min(1).max(5).default(1),
  /** Which kinds of session (接访, 下访, 约访); every kind when omitted. */
  types: z.array(z.enum(SESSION_TYPES)).min(1).optional(),
});

export type ThirdPartyRule = z.infer<typeof ruleSchema>;

const sectionSchema = z.object({ thirdParty: z.array(ruleSchema).default([]) });

/** The "thirdParty" list of a roster rules file (none when absent); a faulty entry is named in Chinese. */
export function parseThirdPartyRules(json: unknown): ThirdPartyRule[] {
  const parsed = sectionSchema.safeParse(json ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(文件)'}：${i.message}`);
    throw new RosterRulesError(`排班规则有误：${lines.join('；')}（第三方力量规则的类别应为 ${THIRD_PARTY_KINDS.join('、')}）`);
  }
  return parsed.data.thirdParty;
}

/** A session as the third-party rules see it. */
export interface TpSession {
  id: number;
  date: IsoDate;
  slot: Slot;
  type: string;
  venueId: string;
  venueName: string;
  venueKind: string;
}

/** Someone booked on a (non-cancelled) session. */
export interface TpBooking {
  sessionId: number;
  thirdPartyId: number;
  how: AssignHow;
  date: IsoDate;
  slot: Slot;
  venueName: string;
}

export function ruleLabel(r: ThirdPartyRule): string {
  const where = r.venue === 'center' ? '县群众来访接待中心' : r.venue === 'town' ? '乡镇接访点' : r.venue === 'all' ? '各接访点' : r.venue;
  return `${where}每场接访安排${r.count > 1 ? ` ${r.count} 名` : ''}${r.kind}`;
}

export function ruleMatches(r: ThirdPartyRule, s: Pick<TpSession, 'venueId' | 'venueName' | 'venueKind' | 'type'>): boolean {
  if (r.types && !r.types.includes(s.type as (typeof SESSION_TYPES)[number])) return false;
  if (r.venue === 'all') return true;
  if (r.venue === 'center') return s.venueKind === 'center';
  if (r.venue === 'town') return s.venueKind === 'town';
  return r.venue === s.venueId || r.venue === s.venueName;
}

const HALVES: Record<string, Array<'am' | 'pm'>> = { 上午: ['am'], 下午: ['pm'], 全天: ['am', 'pm'] };

/** Two sessions share a half-day: the same date and an overlapping 上午/下午 (全天 takes both). */
export function sameHalfDay(a: { date: IsoDate; slot: string }, b: { date: IsoDate; slot: string }): boolean {
  if (a.date !== b.date) return false;
  const ha = HALVES[a.slot] ?? ['am', 'pm'];
  const hb = HALVES[b.slot] ?? ['am', 'pm'];
  return ha.some((h) => hb.includes(h));
}

/** The other booking of the person that half-day, if any. */
export function clashOf(thirdPartyId: number, s: { id: number; date: IsoDate; slot: string }, bookings: TpBooking[]): TpBooking | null {
  return bookings.find((b) => b.thirdPartyId === thirdPartyId && b.sessionId !== s.id && sameHalfDay(b, s)) ?? null;
}

export interface RulePlanInput {
  rules: ThirdPartyRule[];
  /** Everyone in the roster (inactive ones lose their rule bookings). */
  people: ThirdParty[];
  /** The sessions the rules fill (coming, not cancelled), any order. */
  sessions: TpSession[];
  /** Every booking on a non-cancelled session of the period, those on `sessions` included. */
  bookings: TpBooking[];
}

export interface RuleGap {
  kind: ThirdPartyKind;
  session: TpSession;
}

export interface RulePlan {
  add: Array<{ sessionId: number; thirdPartyId: number }>;
  /** Rule bookings that no longer hold: the session left the rule, the person left the roster, or a clash. */
  drop: Array<{ sessionId: number; thirdPartyId: number }>;
  /** Sessions the rules wanted someone at, with nobody free of that kind. */
  gaps: RuleGap[];
  /** Rules whose venue is none of the sessions' (a misspelt venue name). */
  idle: ThirdPartyRule[];
}

const order = (a: { date: string; slot: string; id?: number; sessionId?: number }, b: typeof a) =>
  a.date.localeCompare(b.date) || a.slot.localeCompare(b.slot) || (a.id ?? a.sessionId ?? 0) - (b.id ?? b.sessionId ?? 0);

/**
 * Applies the rules to the sessions: keeps the rule bookings that still hold and every by-hand one,
 * then gives each session that lacks someone of a kind the active person of that kind who is free
 * that half-day and has the fewest bookings among these sessions (then the one booked least recently,
 * then the first registered), so the load is spread evenly.
 */
export function planThirdParties(input: RulePlanInput): RulePlan {
  const people = new Map(input.people.map((p) => [p.id, p]));
  const fill = new Map(input.sessions.map((s) => [s.id, s]));
  const drop: RulePlan['drop'] = [];
  const kept: TpBooking[] = [];
  // Fixed sessions' bookings first, then by hand, then by rule: a clash drops a rule booking of a session to fill.
  const rank = (b: TpBooking) => (!fill.has(b.sessionId) ? 0 : b.how === 'hand' ? 1 : 2);
  for (const b of [...input.bookings].sort((x, y) => rank(x) - rank(y) || order(x, y))) {
    const s = fill.get(b.sessionId);
    const p = people.get(b.thirdPartyId);
    const stale = s && b.how === 'rule' && (!p || !p.active || !input.rules.some((r) => r.kind === p.kind && ruleMatches(r, s)) || clashOf(b.thirdPartyId, s, kept));
    if (stale) drop.push({ sessionId: b.sessionId, thirdPartyId: b.thirdPartyId });
    else kept.push(b);
  }
  const load = new Map<number, { n: number; last: string }>();
  for (const b of kept) if (fill.has(b.sessionId)) bump(load, b.thirdPartyId, b.date);
  const add: RulePlan['add'] = [];
  const gaps: RuleGap[] = [];
  for (const s of [...input.sessions].sort(order)) {
    for (const kind of THIRD_PARTY_KINDS) {
      const need = Math.max(0, ...input.rules.filter((r) => r.kind === kind && ruleMatches(r, s)).map((r) => r.count));
      let have = kept.filter((b) => b.sessionId === s.id && people.get(b.thirdPartyId)?.kind === kind).length;
      while (have < need) {
        const pick = input.people
          .filter((p) => p.active && p.kind === kind && !kept.some((b) => b.sessionId === s.id && b.thirdPartyId === p.id) && !clashOf(p.id, s, kept))
          .sort((a, b) => (load.get(a.id)?.n ?? 0) - (load.get(b.id)?.n ?? 0) || (load.get(a.id)?.last ?? '').localeCompare(load.get(b.id)?.last ?? '') || a.id - b.id)[0];
        if (!pick) {
          gaps.push({ kind, session: s });
          break;
        }
        add.push({ sessionId: s.id, thirdPartyId: pick.id });
        kept.push({ sessionId: s.id, thirdPartyId: pick.id, how: 'rule', date: s.date, slot: s.slot, venueName: s.venueName });
        bump(load, pick.id, s.date);
        have++;
      }
    }
  }
  const idle = input.rules.filter((r) => input.sessions.length > 0 && !input.sessions.some((s) => ruleMatches(r, s)));
  return { add, drop, gaps, idle };
}

function bump(load: Map<number, { n: number; last: string }>, id: number, date: string): void {
  const l = load.get(id) ?? { n: 0, last: '' };
  load.set(id, { n: l.n + 1, last: date > l.last ? date : l.last });
}

/** The fields of a new roster entry, checked: the reason in Chinese, or the clean values. */
export function checkThirdParty(raw: { name: string; kind: string; organisation?: string | null; phone: string }):
  | { ok: true; value: Omit<ThirdParty, 'id' | 'active'> }
  | { ok: false; reason: string } {
  const name = raw.name.trim();
  if (!name) return { ok: false, reason: '请填写姓名。' };
  if ([...name].length > 32 || /[\d\n\r:：]/.test(name)) return { ok: false, reason: `姓名“${name.slice(0, 40)}”不对：应为不超过 32 字的姓名，不含数字。` };
  const kind = parseThirdPartyKind(raw.kind);
  if (!kind) return { ok: false, reason: `类别“${raw.kind.trim()}”不对，应为：${THIRD_PARTY_KINDS.join('、')}。` };
  const organisation = (raw.organisation ?? '').trim() || null;
  if (organisation && [...organisation].length > 64) return { ok: false, reason: '所在单位不能超过 64 字。' };
  const phone = validatePhone(raw.phone);
  if (!phone.ok) return { ok: false, reason: phone.reason };
  return { ok: true, value: { name, kind, organisation, phone: phone.value } };
}

/** 律师：张明远（正衡律师事务所）; with the phone masked when asked. */
export function thirdPartyLabel(p: Pick<ThirdParty, 'kind' | 'name' | 'organisation' | 'phone'>, withPhone = false): string {
  const extra = [p.organisation, withPhone && p.phone ? maskPhone(p.phone) : null].filter(Boolean).join('，');
  return `${p.kind}：${p.name}${extra ? `（${extra}）` : ''}`;
}

/** What the public reads: 律师参与接访、心理咨询师参与接访; names only when the bureau allows. */
export function publicThirdPartyText(list: Array<Pick<ThirdParty, 'kind' | 'name'>>, showNames: boolean): string | null {
  if (!list.length) return null;
  const kinds = THIRD_PARTY_KINDS.filter((k) => list.some((p) => p.kind === k));
  return kinds
    .map((k) => `${k === '其他' ? '第三方人员' : k}参与接访${showNames ? `（${list.filter((p) => p.kind === k).map((p) => p.name).join('、')}）` : ''}`)
    .join('、');
}
