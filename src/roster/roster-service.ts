import { CaseBriefQueries } from '../cases';
import type { Core } from '../platform/core/feature';
import { ChangeRequests } from './change-requests';
import { LeaveImpact } from './leave-impact';
import { PlanImport } from './plan-import';
import { PlanService } from './plan-service';
import { RosterStore } from './roster-store';
import { RulesFile } from './rules-file';
import { SessionRecords } from './session-records';

/**
 * The reception roster's parts, wired once on one store: making the year's plan, importing it,
 * changing it with the admin's approval (调整接访, 取消接访), and recording what happened at each
 * session (接访记录). The chat commands, the CLI and the demo take this one object.
 */
export class RosterService {
  readonly store: RosterStore;
  readonly rules: RulesFile;
  /** 生成接访计划 / plan generate (--replace). */
  readonly plans: PlanService;
  /** plan import (Excel). */
  readonly imports: PlanImport;
  /** 调整接访 (move or swap a reception day), 接访审批, 取消接访. */
  readonly changes: ChangeRequests;
  /** 接访记录. */
  readonly records: SessionRecords;
  /** plan leave / 请假登记: a leave, the sessions already planned in it, the deputy or a move. */
  readonly leave: LeaveImpact;

  /** Whether a date lies in a year without holiday data: sessions there are only 暂定. */
  readonly provisionalDate = (date: string): boolean => !this.core.calendar.calendar.isKnown(date);

  constructor(private readonly core: Core) {
    this.store = new RosterStore(core.db);
    this.rules = new RulesFile(core);
    this.plans = new PlanService(core, this.store, this.rules);
    this.imports = new PlanImport(core, this.store, this.rules);
    this.changes = new ChangeRequests(core, this.store, this.rules);
    this.records = new SessionRecords(core, this.store, new CaseBriefQueries(core.db));
    this.leave = new LeaveImpact(core, this.store, this.rules, this.changes);
  }
}
