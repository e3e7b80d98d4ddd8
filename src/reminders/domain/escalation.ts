import type { DueDeadline } from '../../cases';
import type { Chat } from '../../platform/directory/chat-store';
import type { User } from '../../platform/directory/user-store';

/**
 * The escalation of an overdue deadline: who is told, as it goes more working days overdue. Pure:
 * the contacts come in, nothing is read or written here.
 *
 * 0 working days overdue (or not yet due): the handling unit. From `supervisionAfter` (1 by
 * default): also the supervision group. From `leaderAfter` (3 working days by default,
 * ESCALATE_LEADER_AFTER): also the case's 包案 leader, or the director when it has none, and the
 * case is flagged for a 督办函.
 */
export interface EscalationPolicy {
  /** Working days overdue from which the supervision group is told too. */
  supervisionAfter: number;
  /** Working days overdue from which the 包案 leader or the director is told, and the case flagged for a 督办函. */
  leaderAfter: number;
}

export const DEFAULT_ESCALATION: EscalationPolicy = { supervisionAfter: 1, leaderAfter: 3 };

/** 0: the handling unit; 1: also the supervision group; 2: also the 包案 leader or the director. */
export type EscalationLevel = 0 | 1 | 2;

export function escalationLevel(overdueWorkingDays: number, policy: EscalationPolicy): EscalationLevel {
  if (overdueWorkingDays >= policy.leaderAfter) return 2;
  if (overdueWorkingDays >= policy.supervisionAfter) return 1;
  return 0;
}

/** The level that flags the case for a 督办函 (the leader's, 3 working days overdue by default). */
export function flagsLetter(level: EscalationLevel): boolean {
  return level === 2;
}

export interface Recipient {
  type: 'chat' | 'user';
  id: string;
  /** Why this one: the unit's group or contact, the bureau (no unit group), supervision, leader, director. */
  role: 'unit' | 'bureau' | 'supervision' | 'leader' | 'director';
}

/** Who can be told what: read once per scan. */
export interface Contacts {
  unitChats: Map<string, Chat[]>;
  unitContacts: Map<string, User[]>;
  bureau: Chat[];
  supervision: Chat[];
  director: User | null;
}

/** Who must act on a deadline: its own unit, else the case's unit; the bureau decides 受理/交办 itself. */
export function unitOf(d: Pick<DueDeadline, 'kind' | 'deadlineUnit' | 'caseUnit'>): string | null {
  if (d.deadlineUnit) return d.deadlineUnit;
  return d.kind === 'decision' ? null : d.caseUnit;
}

/** The configured director, else an admin whose title is 局长 (a 副局长 only when there is no 局长). */
export function findDirector(users: User[], configuredId?: string): User | null {
  if (configuredId) return users.find((u) => u.id === configuredId) ?? { id: configuredId, name: configuredId, role: 'admin', unit: null, town: null, title: '局长' };
  const admins = users.filter((u) => u.role === 'admin' && u.title?.includes('局长'));
  return admins.find((u) => !u.title!.includes('副')) ?? admins[0] ?? null;
}

/**
 * Who a reminder at `level` goes to: the unit's groups, else its contacts, else the bureau group;
 * from level 1 the supervision group (else the bureau); from level 2 the 包案 leader, else the director.
 * Each chat or person once.
 */
export function recipientsFor(d: Pick<DueDeadline, 'leaderId'>, unit: string | null, level: EscalationLevel, contacts: Contacts): Recipient[] {
  const out: Recipient[] = [];
  const add = (r: Recipient) => {
    if (!out.some((x) => x.type === r.type && x.id === r.id)) out.push(r);
  };
  const unitChats = unit ? contacts.unitChats.get(unit) ?? [] : [];
  const unitContacts = unit ? contacts.unitContacts.get(unit) ?? [] : [];
  if (unitChats.length) unitChats.forEach((c) => add({ type: 'chat', id: c.id, role: 'unit' }));
  else if (unitContacts.length) unitContacts.forEach((u) => add({ type: 'user', id: u.id, role: 'unit' }));
  else contacts.bureau.forEach((c) => add({ type: 'chat', id: c.id, role: 'bureau' }));
  if (level >= 1) {
    const sup = contacts.supervision.length ? contacts.supervision : contacts.bureau;
    sup.forEach((c) => add({ type: 'chat', id: c.id, role: 'supervision' }));
  }
  if (level >= 2) {
    if (d.leaderId) add({ type: 'user', id: d.leaderId, role: 'leader' });
    else if (contacts.director) add({ type: 'user', id: contacts.director.id, role: 'director' });
  }
  return out;
}
