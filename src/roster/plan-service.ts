import { runTransaction } from '../platform/database/transaction';
import { IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { generatePlan, PlanIssue, PlanResult, RosterVenue, RuleFairness } from './domain';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { SessionView, toPlanSession } from './session-view';

export interface GenerateOptions {
  rulesFile?: string;
  /** Remake a year that already has a plan: coming sessions are cancelled and planned afresh. */
  replace?: boolean;
  /** Plan a year without holiday data from weekends alone. */
  allowProvisional?: boolean;
  /** Plan the whole year, past days included (the demo's history); otherwise from today on. */
  includePast?: boolean;
  by?: string;
}

export interface GenerateOutcome {
  year: number;
  provisional: boolean;
  placed: number;
  cancelled: number;
  kept: number;
  issues: PlanIssue[];
  fairness: RuleFairness[];
  rulesFile: string;
}

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/**
 * Making a year's plan from the rules (生成接访计划, plan generate). With --replace the year is
 * reconciled: what was held or is past stays, the coming sessions are cancelled (kept, never
 * deleted) and planned afresh around what stays.
 */
export class PlanService {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  async generate(year: number, opts: GenerateOptions = {}, now = this.core.now()): Promise<GenerateOutcome> {
    if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new UserError(`年份“${year}”无效，应为 ${YEAR_MIN}–${YEAR_MAX} 之间的四位数字`);
    const rules = this.rules.load(opts.rulesFile);
    const provisional = this.provisionalOrRefused(year, opts);
    const today = shanghaiDate(now);
    if (year < Number(today.slice(0, 4))) throw new UserError(`${year} 年已经过去，不能再生成该年计划`);
    const current = await this.store.sessions.listSessions({ year });
    if (current.length && !opts.replace) {
      throw new UserError(`${year} 年已有 ${current.length} 场接访安排。如要按规则重新生成，请加 --replace（今天及以后的安排将取消并重排，已举行的保留）。`, 'plan_exists');
    }
    const leaders = await this.store.leaders.listLeaders();
    if (!leaders.some((l) => l.active)) throw new UserError('还没有登记领导，无法生成计划。可先运行 xinfang demo 生成示例县，或用 xinfang plan leader add 添加领导。');
    await this.ensureVenues();
    const { keep, cancel } = reconcile(current, today);
    const result = generatePlan({
      year, rules, leaders, venues: await this.store.leaders.listVenues(), calendar: this.core.calendar.calendar,
      unavailability: await this.store.leaders.listUnavailability({ from: `${year}-01-01`, to: `${year}-12-31` }),
      allowProvisional: opts.allowProvisional, fromDate: !opts.includePast && today > `${year}-01-01` ? today : undefined,
      existing: keep.map(toPlanSession),
    });
    await this.save(year, provisional, result, cancel, opts, now);
    return {
      year, provisional, placed: result.sessions.length, cancelled: cancel.length, kept: keep.length, issues: result.issues,
      fairness: result.fairness, rulesFile: this.rules.path(opts.rulesFile),
    };
  }

  /** Whether the year lacks holiday data (its plan only 暂定); refused then unless asked to plan provisionally. */
  private provisionalOrRefused(year: number, opts: GenerateOptions): boolean {
    const provisional = !this.core.calendar.calendar.isKnown(`${year}-01-01`);
    if (provisional && !opts.allowProvisional) {
      throw new UserError(
        `没有 ${year} 年的节假日安排数据，无法确定该年的工作日，未生成计划。` +
          `请在国务院办公厅通知发布后用“xinfang holidays import”导入 ${year} 年安排；` +
          `如需先按周末暂排，可加 --provisional（聊天中加“暂排”），计划将标注为暂定。`,
        'unknown_year',
      );
    }
    return provisional;
  }

  /** In one transaction: the sessions replaced are cancelled, the new ones written, the plan recorded. */
  private async save(year: number, provisional: boolean, result: PlanResult, cancel: SessionView[], opts: GenerateOptions, now: Date): Promise<void> {
    await runTransaction(this.core.db, async (trx) => {
      if (cancel.length) await this.store.sessions.cancelSessions(trx, cancel.map((s) => s.id), '按规则重新生成计划，原安排取消', now);
      await this.store.sessions.insertSessions(trx, result.sessions, now);
      await this.store.sessions.savePlan(trx, {
        year, provisional, source: this.rules.path(opts.rulesFile), generatedBy: opts.by ?? null,
        report: { issues: result.issues, fairness: result.fairness, placed: result.sessions.length },
      }, now);
    });
  }

  /** The county centre and each town's 综治中心 from config/reference.json, where missing. */
  async ensureVenues(ids: Record<string, string> = {}): Promise<number> {
    const ref = this.core.reference();
    const have = await this.store.leaders.listVenues();
    let added = 0;
    for (const v of ref.venues) {
      if (have.some((h) => h.id === v.id)) continue;
      await this.store.leaders.upsertVenue({ id: v.id, name: v.name, kind: (v.kind as RosterVenue['kind']) ?? 'center', town: v.town ?? null, address: null });
      added++;
    }
    const excluded = ['县直'];
    for (const [i, town] of ref.towns.entries()) {
      if (excluded.includes(town) || have.some((h) => h.kind === 'town' && h.town === town)) continue;
      await this.store.leaders.upsertVenue({ id: `zz-${ids[town] ?? i + 1}`, name: `${town}综治中心`, kind: 'town', town, address: null });
      added++;
    }
    return added;
  }
}

/** What a remade year keeps (held, or before today) and what it cancels (the rest). */
function reconcile(current: SessionView[], today: IsoDate): { keep: SessionView[]; cancel: SessionView[] } {
  const keep = current.filter((s) => s.date < today || s.status === 'held');
  return { keep, cancel: current.filter((s) => !keep.includes(s)) };
}
