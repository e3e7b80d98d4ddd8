import type { Knex } from 'knex';
import { BriefingStore } from './briefing-store';
import { ChangeRequestStore } from './change-request-store';
import { LeaderStore } from './leader-store';
import { SessionStore } from './session-store';

/** The roster's tables, one store per concept; the only place with SQL for them. */
export class RosterStore {
  /** Leaders, venues and leave. */
  readonly leaders: LeaderStore;
  /** Sessions and the year plans. */
  readonly sessions: SessionStore;
  /** 调整接访 requests. */
  readonly changes: ChangeRequestStore;
  /** Briefings sent before reception days. */
  readonly briefings: BriefingStore;

  constructor(db: Knex) {
    this.leaders = new LeaderStore(db);
    this.sessions = new SessionStore(db);
    this.changes = new ChangeRequestStore(db);
    this.briefings = new BriefingStore(db);
  }
}
