import type { IsoDate } from '../../platform/calendar/domain/dates';
import { ACTION_FROM, CASE_ACTION_LABELS, CASE_ACTIONS, CaseAction, CaseState } from './case-lifecycle';

/**
 * Who may see a case and who may take which action on it: the bureau (staff, admin) everything, a
 * unit its own cases as a unit, a leader the cases they own or in their towns. The card's buttons
 * and the server's check both come from here, so they agree.
 */

export type ActorRole = 'admin' | 'staff' | 'leader' | 'unit';

export interface Actor {
  id: string;
  role: ActorRole;
  /** 承办单位 of a unit user. */
  unit: string | null;
  /** Towns a leader covers (their own town and the towns of their 接访 duty). */
  towns: readonly string[];
}

/** The parts of a case that decide who may see it. */
export interface CaseScope {
  town: string;
  unit: string | null;
  leaderId: string | null;
}

/** What a unit does on its own cases (staff may record these too, on the unit's behalf). */
const UNIT_ACTIONS: readonly CaseAction[] = ['unitAccept', 'unitReject', 'unitReturn', 'extend', 'conclude', 'progress'];

export function isBureau(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'staff' || actor.role === 'admin';
}

/** Staff/admin see every case; a unit the cases assigned to it; a leader the ones they own and those in their towns. */
export function canView(actor: Actor, c: CaseScope): boolean {
  if (isBureau(actor)) return true;
  if (actor.role === 'unit') return Boolean(actor.unit) && c.unit === actor.unit;
  if (actor.role === 'leader') return c.leaderId === actor.id || actor.towns.includes(c.town);
  return false;
}

/** Who takes a step: the bureau, or (for what a unit does on its own cases) the bureau or the unit. */
function whoTakes(action: CaseAction): string {
  return UNIT_ACTIONS.includes(action) ? '由信访局或承办单位办理' : '由信访局办理（登记员、管理员）';
}

/** What a unit may do instead, said with the words it may type. */
function unitMay(caseNo: string): string {
  return `承办单位可以对交办给本单位的案件受理、不予受理、退回、延期、办结和报告进展（如“进展 ${caseNo} 内容”）`;
}

/** What a leader may do instead: supervise any case he sees; as its 包案领导, put progress or an instruction on record. */
function leaderMay(caseNo: string): string {
  return `领导可以挂牌督办（“挂牌督办 ${caseNo} 督办要求”）；包案领导还可以把批示意见记入案件（“进展 ${caseNo} 内容”）`;
}

/** null when the actor may take the action on this case (state aside); otherwise why not, in Chinese. */
export function permissionError(actor: Actor, c: CaseScope & { caseNo: string }, action: CaseAction): string | null {
  const name = CASE_ACTION_LABELS[action];
  if (isBureau(actor)) return null;
  if (!canView(actor, c)) return `您无权查看或办理案件 ${c.caseNo}`;
  if (actor.role === 'unit') {
    if (UNIT_ACTIONS.includes(action)) return null;
    return `“${name}”${whoTakes(action)}，承办单位不能操作；${unitMay(c.caseNo)}。`;
  }
  if (actor.role === 'leader') {
    if (action === 'supervise') return null;
    if (action === 'progress' && c.leaderId === actor.id) return null;
    if (action === 'progress') return `只有包案领导可以为案件 ${c.caseNo} 报告进展；领导可以挂牌督办（“挂牌督办 ${c.caseNo} 督办要求”）。`;
    return `“${name}”${whoTakes(action)}，领导不能直接操作；${leaderMay(c.caseNo)}。`;
  }
  return `您不能对案件 ${c.caseNo} 进行“${name}”`;
}

/**
 * The actions this actor may take on the case now: allowed by role and legal in the case's state
 * (the buttons a card shows). A case the bureau handles itself (no unit) is concluded by staff.
 */
export function availableActions(actor: Actor, state: CaseState & CaseScope, today: IsoDate): CaseAction[] {
  return CASE_ACTIONS.filter((a) => {
    if (permissionError(actor, state, a) !== null) return false;
    if (!ACTION_FROM[a].includes(state.status)) return false;
    if (a === 'extend' && state.extensionDays) return false;
    if (a === 'extend' && state.conclusionDue && today > state.conclusionDue) return false;
    if (a === 'supervise' && state.supervised) return false;
    if (a === 'requestReview' && state.reviewRequestDue && today > state.reviewRequestDue) return false;
    if (a === 'requestRecheck' && state.recheckRequestDue && today > state.recheckRequestDue) return false;
    return true;
  });
}
