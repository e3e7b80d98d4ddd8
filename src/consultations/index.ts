import type { Knex } from 'knex';
import type { FeatureFactory } from '../platform/core/feature';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { ConsultationService } from './consultation-service';
import { ConsultationMinutes } from './consultation-minutes';
import { ConsultationReminders } from './consultation-reminders';
import { ConsultationChanges } from './consultation-changes';
import { ConsultationStore } from './consultation-store';
import { registerConsultationCommands } from './consultation-commands';

/**
 * 疑难复杂问题会商 and 联席会议: scheduling checked against reception days and leave, the
 * invitations with 参加/不参加, the minutes (会商意见) and their follow-up tasks with reminders.
 * This file is the Feature, the CLI registrar and the public face; see README.md.
 */
export const createConsultationsFeature: FeatureFactory = (core) => {
  const service = new ConsultationService(core);
  const minutes = new ConsultationMinutes(core, service);
  const reminders = new ConsultationReminders(core, service);
  return {
    name: 'consultations',
    label: '会商',
    registerBot: (router) => registerConsultationCommands(router, service, minutes, new ConsultationChanges(core, service)),
    jobs: () => [reminders.job()],
  };
};

export { registerConsultationsCli } from './consultations-cli';

// The public face other capabilities use.
export { ConsultationFeedQueries, type FeedMeeting } from './consultation-feed';
export { ConsultationCalendarQueries, type CalendarMeeting } from './consultation-calendar';

/** The figures of a period (dates inclusive): meetings dated in it (not cancelled), those held (minutes recorded), their tasks and those done. */
export function consultationFigures(db: Knex, period: { from: IsoDate; to: IsoDate }): Promise<{ held: number; scheduled: number; tasks: number; tasksDone: number }> {
  return new ConsultationStore(db).figures(period.from, period.to);
}
