import type { IsoDate } from '../platform/calendar/domain';
import type { RosterLeader, Unavailability } from './domain';
import type { MoveWindow } from './domain/leave-options';
import type { SessionView } from './session-view';

/** One session planned inside a leave, and what the admin may do with it. */
export interface LeaveOffer {
  session: SessionView;
  /** Who would receive instead: the leave's deputy, else the leader's own; null when neither is named. */
  deputy: Pick<RosterLeader, 'id' | 'name' | 'title'> | null;
  /** Why the deputy cannot (busy, away too); empty when they can. */
  deputyProblems: string[];
  /** The nearest free working day the session's rule allows, or null. */
  moveTo: IsoDate | null;
  window: MoveWindow;
  /** The session's year has no holiday data. */
  provisional: boolean;
}

export interface LeaveImpactReport {
  leave: Unavailability;
  leader: RosterLeader;
  /** Who receives instead: the leave's deputy, else the leader's own (active leaders only). */
  deputy: Pick<RosterLeader, 'id' | 'name' | 'title'> | null;
  offers: LeaveOffer[];
  /** The admins the card was queued to (through the outbox); 0 when it was not sent. */
  sentTo: number;
}
