import type { Router } from '../platform/chat/router';
import type { RosterService } from './roster-service';
import { registerChangeCommands } from './change-commands';
import { registerLeaveCommands } from './leave-commands';
import { registerPlanCommand } from './plan-commands';
import { registerRecordCommands } from './record-commands';
import { registerScheduleCommands } from './schedule-commands';

/** The reception roster in chat: the schedule, a leader's days, changes, approvals, leave, records and the plan (in this order in 帮助). */
export function registerRoster(router: Router, roster: RosterService): void {
  registerScheduleCommands(router, roster);
  registerChangeCommands(router, roster);
  registerLeaveCommands(router, roster);
  registerRecordCommands(router, roster);
  registerPlanCommand(router, roster);
}
