import type { IsoDate } from '../platform/calendar/domain';
import { workingDaysLeft } from './domain/case-deadlines';
import type { CaseAction, CaseState } from './domain/case-lifecycle';
import { CASE_STATUS_LABELS, CaseStatus, DEADLINE_LABELS, DeadlineKind } from './domain/case-status';
import type { CaseCardLink } from './case-cards';
import type { CaseRow } from './case-store';
import type { DeadlineRow } from './case-deadline-store';

/**
 * A case as services hand it out: the stored row with its status label, without the row's own
 * bookkeeping times. (The contract's fields, plus the dates each legal period starts from.)
 */
export interface CaseRecord extends Omit<CaseRow, 'createdAt' | 'updatedAt'> {
  statusLabel: string;
}

export interface DeadlineView {
  kind: DeadlineKind;
  label: string;
  dueDate: string;
  status: 'open' | 'met' | 'void';
  provisional: boolean;
  /** Working days from today to the due day, for open deadlines (negative: overdue); null otherwise. */
  daysLeft: number | null;
}

/** One case with everything a card or `cases show` needs. */
export interface CaseDetail {
  record: CaseRecord;
  deadlines: DeadlineView[];
  links: Array<{ record: CaseRecord; reason: string }>;
  leaderName: string | null;
}

export interface CaseView extends CaseDetail {
  /** The actions the viewer may take now (the card's buttons). */
  actions: CaseAction[];
}

export interface TransitionOutcome {
  record: CaseRecord;
  from: CaseStatus;
  to: CaseStatus;
  action: CaseAction;
  /** Things the person should know (e.g. the unit has no group yet). */
  warnings: string[];
  /** A unit's decision (受理, 不予受理, 退回) the bureau recorded for it: that unit. */
  onBehalfOf?: string | null;
}

export interface CaseListEntry {
  record: CaseRecord;
  /** The open deadline that matters now (the earliest), if any. */
  next: DeadlineView | null;
  /** 包案领导's name. */
  leaderName: string | null;
}

export interface AuditEntry {
  action: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: string;
  actorName: string | null;
  reason: string | null;
  data: Record<string, unknown> | null;
  at: Date;
}

export function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    caseNo: r.caseNo,
    year: r.year,
    status: r.status,
    statusLabel: CASE_STATUS_LABELS[r.status] ?? r.status,
    name: r.name,
    idNumber: r.idNumber,
    phone: r.phone,
    address: r.address,
    headcount: r.headcount,
    isGroup: r.isGroup,
    channel: r.channel,
    town: r.town,
    category: r.category,
    purpose: r.purpose,
    content: r.content,
    receivedAt: r.receivedAt,
    receivedDate: r.receivedDate,
    unit: r.unit,
    transferTo: r.transferTo,
    leaderId: r.leaderId,
    supervised: r.supervised,
    sessionId: r.sessionId,
    acceptedDate: r.acceptedDate,
    repliedDate: r.repliedDate,
    extensionDays: r.extensionDays,
    replySummary: r.replySummary,
    registeredBy: r.registeredBy,
    decidedDate: r.decidedDate,
    assignedDate: r.assignedDate,
    decisionReason: r.decisionReason,
    reviewRequestedDate: r.reviewRequestedDate,
    reviewRepliedDate: r.reviewRepliedDate,
    recheckRequestedDate: r.recheckRequestedDate,
    recheckRepliedDate: r.recheckRepliedDate,
    anonymous: r.anonymous,
  };
}

/** A stored deadline as it is shown on `today`: its label, and the working days left for an open one. */
export function toDeadlineView(
  d: Pick<DeadlineRow, 'kind' | 'dueDate' | 'status' | 'provisional'>,
  today: IsoDate,
  isWorkingDay: (d: IsoDate) => boolean,
): DeadlineView {
  return {
    kind: d.kind,
    label: DEADLINE_LABELS[d.kind] ?? d.kind,
    dueDate: d.dueDate,
    status: d.status,
    provisional: d.provisional,
    daysLeft: d.status === 'open' ? workingDaysLeft(today, d.dueDate, isWorkingDay) : null,
  };
}

/** The machine's view of a case: its state and the deadlines that bound its next steps. */
export function stateOf(
  r: Pick<CaseRecord, 'caseNo' | 'status' | 'unit' | 'leaderId' | 'supervised' | 'extensionDays' | 'town'>,
  deadlines: Array<Pick<DeadlineRow, 'kind' | 'dueDate' | 'status'>>,
): CaseState & { town: string } {
  const open = (k: DeadlineKind) => deadlines.find((d) => d.kind === k && d.status === 'open')?.dueDate ?? null;
  return {
    caseNo: r.caseNo, status: r.status, unit: r.unit, leaderId: r.leaderId, supervised: r.supervised, extensionDays: r.extensionDays,
    town: r.town, conclusionDue: open('conclusion'), reviewRequestDue: open('review_request'), recheckRequestDue: open('recheck_request'),
  };
}

export function linkOf(r: CaseRecord): CaseCardLink {
  return { caseNo: r.caseNo, statusLabel: r.statusLabel, receivedDate: r.receivedDate, category: r.category };
}

/** The nearest due date first; cases with none last, by number. */
export function sortByUrgency(list: CaseListEntry[]): CaseListEntry[] {
  return [...list].sort((a, b) => {
    const da = a.next?.dueDate ?? '9999-12-31';
    const dbb = b.next?.dueDate ?? '9999-12-31';
    return da.localeCompare(dbb) || a.record.caseNo.localeCompare(b.record.caseNo);
  });
}
