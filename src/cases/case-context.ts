import type { Knex } from 'knex';
import { IsoDate, shanghaiDate } from '../platform/calendar/domain';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import type { PeriodFn } from './domain/case-deadlines';
import { Actor, isBureau } from './domain/case-access';
import { CaseFilter, CaseStore } from './case-store';
import { CaseDeadlineStore } from './case-deadline-store';
import { CaseEventStore } from './case-event-store';
import { CaseLinkStore } from './case-link-store';
import { CasePeopleStore } from './case-people-store';

/**
 * What the parts of the case service share: the core, the stores of the case tables, the calendar
 * as the pure deadline code takes it, and who a user is to a case.
 */
export class CaseContext {
  readonly cases: CaseStore;
  readonly deadlines: CaseDeadlineStore;
  readonly events: CaseEventStore;
  readonly links: CaseLinkStore;
  readonly people: CasePeopleStore;

  constructor(readonly core: Core) {
    this.cases = new CaseStore(core.db);
    this.deadlines = new CaseDeadlineStore(core.db);
    this.events = new CaseEventStore(core.db);
    this.links = new CaseLinkStore(core.db);
    this.people = new CasePeopleStore(core.db);
  }

  /** The calendar as the pure deadline code takes it. */
  readonly period: PeriodFn = (trigger, days) => {
    const r = this.core.calendar.periodEnd(trigger, days);
    return { lastDay: r.lastDay, provisional: r.provisional };
  };

  /** Whether a day is a working day, estimating from weekends outside the known years. */
  readonly isWorkingDay = (d: IsoDate): boolean => this.core.calendar.calendar.isWorkingDayOrEstimate(d);

  /** Today in Shanghai, on the core's clock. */
  today(): IsoDate {
    return shanghaiDate(this.core.now());
  }

  /** The user as the lifecycle's rules see them: a leader's towns include their 接访 towns. */
  async actorFor(user: User, db: Knex | Knex.Transaction = this.core.db): Promise<Actor> {
    const towns = new Set<string>();
    if (user.town) towns.add(user.town);
    if (user.role === 'leader') for (const t of await this.people.leaderTowns(user.id, db)) towns.add(t);
    return { id: user.id, role: user.role, unit: user.unit, towns: [...towns] };
  }
}

/** The part of the case list an actor may see, as a store filter (the rules check each row again). */
export function scopeFilter(actor: Actor): Pick<CaseFilter, 'unit' | 'leaderOrTowns'> {
  if (isBureau(actor)) return {};
  if (actor.role === 'unit') return { unit: actor.unit ?? '\u0000' };
  return { leaderOrTowns: { leaderId: actor.id, towns: actor.towns } };
}
