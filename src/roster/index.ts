/**
 * 接访下访 (reception days): the leaders' reception roster — the year's plan, the schedule in chat
 * and on the public page, 调整接访 (moving or swapping a day), 接访记录, and the briefing the day before.
 * This file is the capability's Feature and its public face (the exports at the bottom); see README.md.
 */
import type { CliRegistrar, FeatureFactory } from '../platform/core/feature';
import { registerRoster } from './roster-commands';
import { registerBriefingCommand } from './briefing-commands';
import { mountSchedulePage } from './schedule-page';
import { BriefingService } from './briefing-service';
import { RosterService } from './roster-service';
import { PlanFollow } from './plan-follow';
import { diagnoseRoster } from './roster-diagnosis';
import { registerThirdPartyCommands } from './third-party-commands';
import { ThirdPartyService } from './third-party-service';
import { registerRosterCli as registerPlanCli } from './roster-cli';
import { registerThirdPartyCli } from './third-party-cli';

/** The reception roster: chat commands, the public schedule page, the briefing job. */
export const createRosterFeature: FeatureFactory = (core) => {
  const roster = new RosterService(core);
  const briefings = new BriefingService(core);
  return {
    name: 'roster',
    label: '接访安排',
    registerBot: (router) => {
      registerRoster(router, roster);
      registerBriefingCommand(router, briefings);
      registerThirdPartyCommands(router, new ThirdPartyService(core, roster.rules));
    },
    registerHttp: (app) => mountSchedulePage(app, core, roster.store),
    jobs: () => [briefings.job()],
    // A holiday import: sessions on new rest days move, provisional plans of the year become final.
    onCalendarChange: (change, trx) => new PlanFollow(core, roster.store, roster.rules).onCalendarChange(change, trx),
    diagnose: () => diagnoseRoster(core, roster.store.leaders),
  };
};

/** `xinfang plan …` and `xinfang third-party …`. */
export const registerRosterCli: CliRegistrar = (program, openCore, io) => {
  registerPlanCli(program, openCore, io);
  registerThirdPartyCli(program, openCore, io);
};
export { asCliError } from './roster-cli';

// The public face other capabilities use.
export { RosterService } from './roster-service';
export { SESSION_STATUS_LABELS } from './domain';
export type { RosterLeader, RosterVenue, SessionStatus, Unavailability } from './domain';
export { RosterFeedQueries, type FeedDimensions, type FeedLeader, type FeedSession, type FeedVenue, type FeedWindow, type SessionScope } from './feed-queries';
export { sessionChoicesOn } from './session-choice-queries';
export { thirdPartyFigures, ThirdPartyService } from './third-party-service';
export type { ThirdPartyFigures } from './third-party-store';
export { THIRD_PARTY_KINDS, type ThirdParty, type ThirdPartyKind } from './domain/third-party-rules';
export { receptionFigures, type ReceptionFigures } from './reception-figures';
