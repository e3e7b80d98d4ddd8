import type { IsoDate } from '../platform/calendar/domain';
import type {
  LeaderLevel, PlanSession, SessionLike, SessionStatus, SessionType, Slot, VenueKind,
} from './domain';

export interface SessionLeaderView {
  id: string;
  name: string;
  title: string;
  level: LeaderLevel;
  /** When this leader receives as a deputy: whose day it was. */
  substituteFor: string | null;
}

/** What 接访记录 saved about a session. */
export interface SessionOutcome {
  /** 批次: groups received. */
  batches: number;
  /** 人次: people received. */
  persons: number;
  /** Cases registered at the session when it was recorded. */
  caseNos: string[];
  note: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface SessionView {
  id: number;
  uid: string;
  date: IsoDate;
  slot: Slot;
  startTime: string;
  endTime: string;
  type: SessionType;
  venueId: string;
  venueName: string;
  venueKind: VenueKind;
  venueTown: string | null;
  venueAddress: string | null;
  accompanyUnits: string[];
  focus: string | null;
  capacity: number | null;
  status: SessionStatus;
  sequence: number;
  outcome: SessionOutcome | null;
  planYear: number;
  ruleId: string | null;
  note: string | null;
  leaders: SessionLeaderView[];
  createdAt: string;
  updatedAt: string;
}

export interface SessionFilter {
  year?: number;
  from?: IsoDate;
  to?: IsoDate;
  leaderId?: string;
  venueIds?: string[];
  ids?: number[];
  includeCancelled?: boolean;
  /** Only sessions with a recorded outcome. */
  heldOnly?: boolean;
  /** Newest first. */
  desc?: boolean;
  limit?: number;
}

export interface SessionPatch {
  date?: IsoDate;
  slot?: Slot;
  startTime?: string;
  endTime?: string;
  status?: SessionStatus;
  outcome?: SessionOutcome | null;
  note?: string | null;
  focus?: string | null;
  accompanyUnits?: string[];
  capacity?: number | null;
}

/** A session as the plan generator and the Excel import compare it (its natural key: day, time, venue, type, leaders). */
export function toPlanSession(s: SessionView): PlanSession {
  const sub = s.leaders.find((l) => l.substituteFor);
  return {
    date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, type: s.type, venueId: s.venueId,
    leaderIds: s.leaders.map((l) => l.id), accompanyUnits: s.accompanyUnits, focus: s.focus, capacity: s.capacity,
    ruleId: s.ruleId, substituteFor: sub?.substituteFor ?? null, note: s.note,
  };
}

/** A session as the conflict checks see it. */
export function toLike(s: SessionView): SessionLike {
  return {
    id: s.id, date: s.date, slot: s.slot, startTime: s.startTime, endTime: s.endTime, venueId: s.venueId,
    leaderIds: s.leaders.map((l) => l.id), status: s.status,
  };
}
