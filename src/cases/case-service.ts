import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import type { CaseAction, CaseCommand } from './domain/case-lifecycle';
import type { CaseStatus } from './domain/case-status';
import { CaseContext } from './case-context';
import { CaseQueries, LabelledAuditEntry } from './case-queries';
import { CaseRegistration, NewCaseInput } from './case-registration';
import { CaseTransitions } from './case-transitions';
import type { CaseDetail, CaseListEntry, CaseRecord, CaseView, DeadlineView, TransitionOutcome } from './case-records';

/**
 * A case's life on the server, as the chat commands, the intake, the demo and the CLI use it:
 * registration (case-registration.ts), the transitions and the messages they cause
 * (case-transitions.ts, case-notifications.ts) and the views (case-queries.ts).
 */
export class CaseService {
  private readonly registration: CaseRegistration;
  private readonly transitions: CaseTransitions;
  private readonly queries: CaseQueries;

  constructor(core: Core) {
    const context = new CaseContext(core);
    this.registration = new CaseRegistration(context);
    this.transitions = new CaseTransitions(context);
    this.queries = new CaseQueries(context);
  }

  /** 登记: numbers the case and stores it with its deadlines, audit row and links to earlier cases. */
  register(input: NewCaseInput): Promise<{ record: CaseRecord; linked: CaseRecord[] }> {
    return this.registration.register(input);
  }

  /** Takes an action on a case for a user (see CaseTransitions.transition). */
  transition(caseNo: string, cmd: CaseCommand, user: User): Promise<TransitionOutcome> {
    return this.transitions.transition(caseNo, cmd, user);
  }

  /** Refuses, before a form asks for input, an action the user could not take now. */
  precheck(caseNo: string, action: CaseAction, user: User): Promise<CaseRecord> {
    return this.transitions.precheck(caseNo, action, user);
  }

  /** The action a typed word (受理, 不予受理, 复查…) means on this case for this user (see CaseTransitions.pickAction). */
  pickAction(caseNo: string, candidates: readonly CaseAction[], user: User): Promise<CaseAction> {
    return this.transitions.pickAction(caseNo, candidates, user);
  }

  /** 承办单位 to pick from when 交办 (config/reference.json). */
  units(): string[] {
    return this.transitions.units();
  }

  /** Users with the role leader, for 包案. */
  leaders(): Promise<User[]> {
    return this.transitions.leaders();
  }

  getByNo(caseNo: string): Promise<CaseRecord | null> {
    return this.queries.getByNo(caseNo);
  }

  deadlines(caseId: number): Promise<DeadlineView[]> {
    return this.queries.deadlines(caseId);
  }

  lastRegisteredBy(userId: string, since: Date): Promise<{ caseNo: string; createdAt: Date } | null> {
    return this.queries.lastRegisteredBy(userId, since);
  }

  detail(caseNo: string): Promise<CaseDetail | null> {
    return this.queries.detail(caseNo);
  }

  view(caseNo: string, user: User): Promise<CaseView> {
    return this.queries.view(caseNo, user);
  }

  /** The audit trail, oldest first, each entry with its sentence (label). */
  auditTrail(caseId: number, opts: { short?: boolean } = {}): Promise<LabelledAuditEntry[]> {
    return this.queries.auditTrail(caseId, opts);
  }

  list(opts: { status?: CaseStatus; limit?: number } = {}): Promise<CaseListEntry[]> {
    return this.queries.list(opts);
  }

  search(user: User, query: string): Promise<CaseListEntry[]> {
    return this.queries.search(user, query);
  }

  todo(user: User): Promise<CaseListEntry[]> {
    return this.queries.todo(user);
  }

  overdue(user: User, withinWorkingDays = 3): Promise<{ overdue: CaseListEntry[]; dueSoon: CaseListEntry[]; until: string }> {
    return this.queries.overdue(user, withinWorkingDays);
  }
}
