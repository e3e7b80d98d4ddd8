import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { UserError } from '../platform/errors/user-error';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { parseReviewPeriod, PERIOD_HELP, ReviewPeriod } from './domain/review-period';
import { computeReviewFigures, parseSampleNo, REVIEW_STATUS_LABELS } from './domain/review-rules';
import { ReviewSampler, SampleSize } from './review-sampler';
import { ReviewActor, ReviewService } from './review-service';

type OpenCore = () => Promise<Core>;

async function asCli<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof UserError) throw new CliUsageError(e.message);
    throw e;
  }
}

function period(core: Core, s: string): ReviewPeriod {
  const p = parseReviewPeriod(s, shanghaiDate(core.now()));
  if (!p) throw new CliUsageError(`时间段“${s}”无效。${PERIOD_HELP}`);
  return p;
}

/** --by: a registered user (staff or admin), or the CLI itself. */
async function actorOf(core: Core, by: string | undefined): Promise<ReviewActor> {
  if (!by) return { id: 'cli', role: 'admin', unit: null };
  const u = await core.users.get(by);
  if (!u || (u.role !== 'staff' && u.role !== 'admin')) throw new CliUsageError(`--by ${by} 不是登记员或管理员`);
  return u;
}

function sizeOf(o: { count?: string; share?: string }): SampleSize {
  if ((o.count === undefined) === (o.share === undefined)) throw new CliUsageError('请给出 --count N 或 --share 0.1 之一');
  if (o.count !== undefined) {
    if (!/^\d+$/.test(o.count) || Number(o.count) < 1) throw new CliUsageError(`--count ${o.count} 无效，应为正整数`);
    return { count: Number(o.count) };
  }
  const v = /%$/.test(o.share!) ? Number(o.share!.slice(0, -1)) / 100 : Number(o.share);
  if (!(v > 0 && v <= 1)) throw new CliUsageError(`--share ${o.share} 无效，应在 0 到 1 之间（如 0.1）或百分数（如 10%）`);
  return { share: v };
}

function registerSample(cmd: Command, openCore: OpenCore, io: CliIO): void {
  cmd.command('sample').description('按时间段抽取已办结信访事项（按承办单位分层）')
    .option('--period <时间段>', PERIOD_HELP)
    .option('--cancel <抽样编号>', '撤销一次抽样（其中尚无评查记录时）')
    .option('--count <N>', '抽取件数').option('--share <比例>', '抽取比例，如 0.1').option('--seed <种子>', '随机种子（同一种子重现同一抽样）')
    .option('--by <用户ID>', '抽样人').option('--json', '输出 JSON')
    .action(async (o: { period?: string; cancel?: string; count?: string; share?: string; seed?: string; by?: string; json?: boolean }) => {
      if (o.cancel !== undefined) return cancelSample(o.cancel, o, openCore, io);
      if (!o.period) throw new CliUsageError('请给出 --period <时间段>（或 --cancel <抽样编号> 撤销一次抽样）');
      const size = sizeOf(o);
      const core = await openCore();
      const actor = await actorOf(core, o.by);
      const r = await asCli(() => new ReviewSampler(core).sample(period(core, o.period!), size, o.seed, actor.id, core.now()));
      if (o.json) {
        return void io.out(`${JSON.stringify({ sampleId: r.sampleId, period: r.period, seed: r.seed, asked: r.asked, population: r.population, byUnit: r.byUnit, reviews: r.reviews.map((v) => ({ no: v.reviewNo, caseNo: v.caseNo, unit: v.caseUnit })) }, null, 2)}\n`);
      }
      io.out(`抽样 ${r.sampleId} ${r.period.label}：可抽 ${r.population} 件，抽取 ${r.reviews.length} 件（随机种子 ${r.seed}）\n`);
      for (const u of r.byUnit) io.out(`  ${u.unit}\t${u.drawn}/${u.available}\n`);
      for (const v of r.reviews) io.out(`${v.reviewNo}\t${v.caseNo}\t${v.caseUnit}\n`);
    });
}

async function cancelSample(no: string, o: { period?: string; count?: string; share?: string; seed?: string; by?: string; json?: boolean }, openCore: OpenCore, io: CliIO): Promise<void> {
  const id = parseSampleNo(no);
  if (!id) throw new CliUsageError(`--cancel ${no} 无效，应为抽样编号（正整数）`);
  if (o.period || o.count || o.share || o.seed) throw new CliUsageError('--cancel 不能与 --period、--count、--share、--seed 同用');
  const core = await openCore();
  const actor = await actorOf(core, o.by);
  const r = await asCli(() => new ReviewSampler(core).cancel(id, actor.id, core.now()));
  if (o.json) return void io.out(`${JSON.stringify({ sampleId: r.sample.id, cancelled: r.cancelled.map((v) => v.reviewNo) }, null, 2)}\n`);
  io.out(`已撤销抽样 ${r.sample.id}（${r.sample.periodLabel}，${r.sample.asked}），撤销评查 ${r.cancelled.length} 件\n`);
}

function registerRecord(cmd: Command, openCore: OpenCore, io: CliIO): void {
  cmd.command('record <编号>').description('记录评查结论（案件编号或评查编号）')
    .option('--ok', '办理规范').option('--problems <问题>', '发现的问题，用逗号或顿号分隔').option('--note <意见>', '评查意见')
    .option('--unit <单位>', '整改单位（默认承办单位）').option('--due <日期>', '整改期限（默认 15 个工作日后）').option('--by <用户ID>', '评查人')
    .action(async (no: string, o: { ok?: boolean; problems?: string; note?: string; unit?: string; due?: string; by?: string }) => {
      if (Boolean(o.ok) === (o.problems !== undefined)) throw new CliUsageError('请给出 --ok 或 --problems "答复不规范,超期办结" 之一');
      const core = await openCore();
      const actor = await actorOf(core, o.by);
      const r = await asCli(() => new ReviewService(core).record(no, { ok: Boolean(o.ok), problems: o.problems, note: o.note, unit: o.unit, due: o.due }, actor, core.now()));
      const v = r.view.review;
      io.out(`${v.reviewNo}\t${v.caseNo}\t${REVIEW_STATUS_LABELS[v.status]}${v.problems.length ? `\t${v.problems.join('、')}\t整改单位 ${v.fixUnit}\t整改期限 ${v.fixDueDate}` : ''}\n`);
      if (r.warning) io.err(`${r.warning}\n`);
    });
}

function registerList(cmd: Command, openCore: OpenCore, io: CliIO): void {
  cmd.command('list').description('评查台账').option('--period <时间段>', PERIOD_HELP).option('--json', '输出 JSON')
    .action(async (o: { period?: string; json?: boolean }) => {
      const core = await openCore();
      const p = o.period ? period(core, o.period) : null;
      const service = new ReviewService(core);
      const rows = await service.store.list(p);
      const figures = computeReviewFigures(rows);
      if (o.json) {
        const list = rows.map((r) => ({
          no: r.reviewNo, sampleId: r.sampleId, caseNo: r.caseNo, unit: r.caseUnit, status: r.status, problems: r.problems, note: r.note, fixUnit: r.fixUnit, fixDueDate: r.fixDueDate,
          reviewer: r.reviewerId, reviewedDate: r.reviewedDate, drawnDate: r.drawnDate, rectification: r.rectification,
        }));
        return void io.out(`${JSON.stringify({ period: p, figures, reviews: list }, null, 2)}\n`);
      }
      io.out(`评查 ${figures.reviewed} 件，发现问题 ${figures.problems} 个（${figures.withProblems} 件），已整改 ${figures.fixed} 个\n`);
      for (const r of rows) io.out(`${r.reviewNo}\t${r.caseNo}\t${r.caseUnit}\t${REVIEW_STATUS_LABELS[r.status]}${r.problems.length ? `\t${r.problems.join('、')}` : ''}\n`);
    });
}

/** `xinfang reviews sample|record|list`. */
export const registerReviewsCli: CliRegistrar = (program, openCore, io) => {
  const cmd = program.command('reviews').description('信访事项评查：抽样（及撤销）、记录、台账');
  registerSample(cmd, openCore, io);
  registerRecord(cmd, openCore, io);
  registerList(cmd, openCore, io);
};
