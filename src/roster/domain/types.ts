import type { IsoDate } from '../../platform/calendar/domain';

/**
 * The reception roster (领导干部接访下访) as plain data: leaders, venues, sessions. Times are
 * Asia/Shanghai wall-clock 'HH:MM'; dates are 'YYYY-MM-DD'.
 */
export const SLOTS = ['上午', '下午', '全天'] as const;
export type Slot = (typeof SLOTS)[number];

export const SESSION_TYPES = ['接访', '下访', '约访'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export const SESSION_STATUSES = ['planned', 'confirmed', 'changed', 'cancelled', 'held'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SESSION_STATUS_LABELS: Record<SessionStatus, string> = {
  planned: '已排定',
  confirmed: '已确认',
  changed: '已调整',
  cancelled: '已取消',
  held: '已接访',
};

export type LeaderLevel = 'county' | 'town';
export type VenueKind = 'center' | 'town' | 'village';

export interface RosterLeader {
  id: string;
  name: string;
  level: LeaderLevel;
  /** 职务, e.g. 县委副书记, 阳城镇党委书记. */
  title: string;
  /** Towns the leader belongs to (town leaders) or covers. */
  towns: string[];
  /** Who covers when the leader is away and the leave names nobody. */
  deputyId: string | null;
  sortOrder: number;
  active: boolean;
}

export interface RosterVenue {
  id: string;
  name: string;
  kind: VenueKind;
  town: string | null;
  address: string | null;
}

/** Leave, training, a meeting: days a leader cannot receive, inclusive. */
export interface Unavailability {
  leaderId: string;
  from: IsoDate;
  to: IsoDate;
  reason?: string | null;
  /** Who receives instead, when given. */
  deputyId?: string | null;
}

/** A session as the plan and the conflict checks see it. */
export interface PlanSession {
  date: IsoDate;
  slot: Slot;
  startTime: string;
  endTime: string;
  type: SessionType;
  venueId: string;
  leaderIds: string[];
  accompanyUnits: string[];
  focus: string | null;
  capacity: number | null;
  ruleId: string | null;
  /** When a deputy receives for someone: whose duty this was. */
  substituteFor: string | null;
  note: string | null;
}
