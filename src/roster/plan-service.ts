import type { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import {
  generatePlan, GenerateInput, PlanIssue, PlanResult, PlanSession, Reconciled, reconcilePlan, ReplanCounts, RosterLeader, RosterVenue, RuleFairness,
} from './domain';
import { PlanNotice, sendPlanNotices } from './plan-notices';
import type { RosterStore } from './roster-store';
import type { RulesFile } from './rules-file';
import { toPlanSession } from './session-view';
import { ThirdPartyService } from './third-party-service';

export interface GenerateOptions {
  rulesFile?: string;
  /** Remake a year that already has a plan: reconciled with the sessions already planned (see reconcilePlan). */
  replace?: boolean;
  /** Plan a year without holiday data from weekends alone. */
  allowProvisional?: boolean;
  /** Plan the whole year, past days included (the demo's history); otherwise from today on. */
  includePast?: boolean;
  by?: string;
}

/** What a regenerated plan does to the sessions already planned. */
export type ReplanPreview = ReplanCounts;

export interface GenerateOutcome extends ReplanPreview {
  /** Sessions written new (a first plan: all of them). */
  placed: number;
  /** Whether an existing plan was reconciled (--replace). */
  replaced: boolean;
  /** Messages queued to leaders and venue groups about the changes. */
  notified: number;
  issues: PlanIssue[];
  fairness: RuleFairness[];
  rulesFile: string;
  /** 第三方力量 booked on sessions by the rules file's "thirdParty" list (third-party-service.ts). */
  thirdPartiesAssigned?: number;
}

const YEAR_MIN = 2000;
const YEAR_MAX = 2100;

/** A plan computed and not yet saved: fresh, or a reconciliation of the year's sessions. */
interface Prepared {
  year: number;
  provisional: boolean;
  /** The year's sessions as they were read (see SessionStore.planVersion). */
  version: string;
  fresh: PlanResult | null;
  reconciled: Reconciled | null;
  fixed: number;
  leaders: RosterLeader[];
  venues: RosterVenue[];
  missingVenues: RosterVenue[];
}

/**
 * Making a year's plan from the rules (生成接访计划, plan generate). With --replace the year is
 * reconciled: what was held or is past stays; a coming session the new plan still holds keeps its
 * number and UID (moved with SEQUENCE + 1 if its day, time or venue changed); only real additions
 * are new and only real removals are cancelled; the leaders and venue groups concerned are told.
 */
export class PlanService {
  constructor(private readonly core: Core, private readonly store: RosterStore, private readonly rules: RulesFile) {}

  async generate(year: number, opts: GenerateOptions = {}, now = this.core.now()): Promise<GenerateOutcome> {
    const p = await this.prepare(year, opts, now);
    const plan = p.reconciled?.plan ?? p.fresh!;
    const c = this.counts(p);
    for (const v of p.missingVenues) await this.store.leaders.upsertVenue(v);
    const thirdParty = { assigned: 0, issues: [] as PlanIssue[] };
    const notified = await runTransaction(this.core.db, async (trx) => {
      // One remake of a year at a time, and none over a plan that changed since it was read.
      await trx('roster_plans').where({ year }).forUpdate().select('year');
      if ((await this.store.sessions.planVersion(year, trx)) !== p.version) {
        throw new UserError(`生成期间 ${year} 年的接访安排有了改动（如刚批准的调整），未保存。请重新运行。`, 'plan_changed');
      }
      const told = p.reconciled ? await this.saveReconciled(trx, p, p.reconciled, now) : await this.saveFresh(trx, p.fresh!, now);
      // 第三方力量: lawyers, counsellors… put on the sessions just made, by the rules file's "thirdParty" list.
      Object.assign(thirdParty, await new ThirdPartyService(this.core, this.rules).applyRules(trx, {
        year, from: opts.includePast ? `${year}-01-01` : shanghaiDate(now), rulesFile: opts.rulesFile, by: opts.by ?? 'system', now,
      }));
      await this.store.sessions.savePlan(trx, {
        year, provisional: p.provisional, source: this.rules.path(opts.rulesFile), generatedBy: opts.by ?? null,
        report: { issues: [...plan.issues, ...thirdParty.issues], fairness: plan.fairness, placed: c.fixed + c.kept + c.moved + c.added },
      }, now);
      return told;
    });
    return {
      ...c, placed: c.added, replaced: !!p.reconciled, notified, issues: [...plan.issues, ...thirdParty.issues], fairness: plan.fairness,
      rulesFile: this.rules.path(opts.rulesFile), thirdPartiesAssigned: thirdParty.assigned,
    };
  }

  /** What `generate(year, { replace: true })` would do, without saving anything. */
  async previewReplace(year: number, opts: GenerateOptions = {}, now = this.core.now()): Promise<ReplanPreview> {
    return this.counts(await this.prepare(year, { ...opts, replace: true }, now));
  }

  private counts(p: Prepared): ReplanPreview {
    const r = p.reconciled;
    return {
      year: p.year, provisional: p.provisional, fixed: p.fixed, added: r ? r.added.length : p.fresh!.sessions.length,
      kept: r?.kept.length ?? 0, moved: r?.moved.length ?? 0, cancelled: r?.cancelled.length ?? 0,
    };
  }

  private async prepare(year: number, opts: GenerateOptions, now: Date): Promise<Prepared> {
    if (!Number.isInteger(year) || year < YEAR_MIN || year > YEAR_MAX) throw new UserError(`年份“${year}”无效，应为 ${YEAR_MIN}–${YEAR_MAX} 之间的四位数字`);
    const rules = this.rules.load(opts.rulesFile);
    const provisional = this.provisionalOrRefused(year, opts);
    const today = shanghaiDate(now);
    if (year < Number(today.slice(0, 4))) throw new UserError(`${year} 年已经过去，不能再生成该年计划`);
    const version = await this.store.sessions.planVersion(year);
    const current = await this.store.sessions.listSessions({ year });
    if (current.length && !opts.replace) {
      throw new UserError(`${year} 年已有 ${current.length} 场接访安排。如要按规则重新生成，请加 --replace（聊天中加“重新生成”）：仍在新计划中的场次保留原编号，已举行的不动，先列出变动，确认后才保存。`, 'plan_exists');
    }
    const leaders = await this.store.leaders.listLeaders();
    if (!leaders.some((l) => l.active)) throw new UserError('还没有登记领导，无法生成计划。可先运行 xinfang demo 生成示例县，或用 xinfang plan leader add 添加领导。', 'no_leaders');
    const missingVenues = await this.missingVenues();
    const venues = [...(await this.store.leaders.listVenues()), ...missingVenues];
    const input: GenerateInput = {
      year, rules, leaders, venues, calendar: this.core.calendar.calendar,
      unavailability: await this.store.leaders.listUnavailability({ from: `${year}-01-01`, to: `${year}-12-31` }),
      allowProvisional: opts.allowProvisional, fromDate: !opts.includePast && today > `${year}-01-01` ? today : undefined,
    };
    const base = { year, provisional, version, leaders, venues, missingVenues };
    if (!current.length) return { ...base, fresh: generatePlan(input), reconciled: null, fixed: 0 };
    const isFixed = (s: (typeof current)[number]) => s.date < today || s.status === 'held';
    const fixed = current.filter(isFixed);
    const reconciled = reconcilePlan({
      ...input, fixed: fixed.map(toPlanSession),
      current: current.filter((s) => !isFixed(s)).map((s) => ({ ...toPlanSession(s), id: s.id, status: s.status })),
      revivable: (await this.store.sessions.listSessions({ year, from: today, includeCancelled: true }))
        .filter((s) => s.status === 'cancelled')
        .map((s) => ({ ...toPlanSession(s), id: s.id, status: s.status })),
    });
    return { ...base, fresh: null, reconciled, fixed: fixed.length };
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

  /** A first plan: every session new, nobody told (the plan is announced as a whole). */
  private async saveFresh(trx: Knex.Transaction, result: PlanResult, now: Date): Promise<number> {
    await this.store.sessions.insertSessions(trx, result.sessions, now);
    return 0;
  }

  /** Cancels what is gone, moves what moved (same id and UID), inserts what is new; tells whom it concerns. */
  private async saveReconciled(trx: Knex.Transaction, p: Prepared, r: Reconciled, now: Date): Promise<number> {
    if (r.cancelled.length) await this.store.sessions.cancelSessions(trx, r.cancelled.map((s) => s.id), '按规则重新生成计划，该场已不在计划中', now);
    for (const m of r.moved) await this.store.sessions.applyPlanSession(trx, m.from.id, m.to, now);
    await this.store.sessions.insertSessions(trx, r.added, now);
    const notices = replanNotices(r, p.leaders, p.venues);
    if (!notices.length) return 0;
    return sendPlanNotices(this.core, this.store.leaders, trx, notices, {
      title: `${p.year} 年接访安排已调整`, intro: '接访下访计划已按规则重新生成，与您（本接访点）有关的变动如下（仍在计划中的场次编号不变，已订阅的日历会自动更新）：',
      source: `roster-replan:${p.year}:${now.toISOString()}`, now,
    });
  }

  /** The county centre and each town's 综治中心 from config/reference.json, where missing (see ensureVenues). */
  private async missingVenues(ids: Record<string, string> = {}): Promise<RosterVenue[]> {
    const ref = this.core.reference();
    const have = await this.store.leaders.listVenues();
    const out: RosterVenue[] = [];
    for (const v of ref.venues) {
      if (!have.some((h) => h.id === v.id)) out.push({ id: v.id, name: v.name, kind: (v.kind as RosterVenue['kind']) ?? 'center', town: v.town ?? null, address: null });
    }
    const excluded = ['县直'];
    for (const [i, town] of ref.towns.entries()) {
      if (excluded.includes(town) || have.some((h) => h.kind === 'town' && h.town === town)) continue;
      out.push({ id: `zz-${ids[town] ?? i + 1}`, name: `${town}综治中心`, kind: 'town', town, address: null });
    }
    return out;
  }

  /** The county centre and each town's 综治中心 from config/reference.json, where missing. */
  async ensureVenues(ids: Record<string, string> = {}): Promise<number> {
    const missing = await this.missingVenues(ids);
    for (const v of missing) await this.store.leaders.upsertVenue(v);
    return missing.length;
  }
}

/** The lines the leaders and venue groups read about a regenerated plan: moved, cancelled, added. */
function replanNotices(r: Reconciled, leaders: RosterLeader[], venues: RosterVenue[]): PlanNotice[] {
  const leaderName = new Map(leaders.map((l) => [l.id, l.name]));
  const venueName = new Map(venues.map((v) => [v.id, v.name]));
  const who = (s: PlanSession) => s.leaderIds.map((l) => leaderName.get(l) ?? l).join('、');
  const what = (s: PlanSession) => `${formatChineseDate(s.date)}${s.slot} ${venueName.get(s.venueId) ?? s.venueId} ${who(s)}的${s.type}`;
  return [
    ...r.moved.map((m) => ({
      leaderIds: [...m.from.leaderIds, ...m.to.leaderIds], venueIds: [m.from.venueId, m.to.venueId],
      line: `${what(m.from)}，改为 ${formatChineseDate(m.to.date)}${m.to.slot}${m.to.venueId !== m.from.venueId ? ` ${venueName.get(m.to.venueId) ?? m.to.venueId}` : ''}${who(m.to) !== who(m.from) ? `，由${who(m.to)}接访` : ''}`,
    })),
    ...r.cancelled.map((s) => ({ leaderIds: s.leaderIds, venueIds: [s.venueId], line: `${what(s)}，已取消（不再在计划中）` })),
    ...r.added.map((s) => ({ leaderIds: s.leaderIds, venueIds: [s.venueId], line: `新增：${what(s)}` })),
  ];
}
