import type { Context, Router } from '../platform/chat/router';
import { card, text, type IncomingAction, type Outgoing } from '../platform/chat/messages';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { UserError } from '../platform/errors/user-error';
import { parseReviewPeriod, PERIOD_HELP } from './domain/review-period';
import { parseSampleSize } from './domain/review-sampling';
import { computeReviewFigures, parseSampleNo } from './domain/review-rules';
import { ledgerCard, REVIEW_ACTIONS, reviewRecordCard, sampleCard } from './review-cards';
import type { ReviewSampler } from './review-sampler';
import type { RecordInput, ReviewService } from './review-service';

const GROUP = '评查';
const SAMPLE_EXAMPLE = '评查抽样 2026Q3 30（或 10%；可加“种子 abc”重现同一抽样；撤销：评查抽样 撤销 <抽样编号>）';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const formText = (ctx: Context<IncomingAction>, key: string) => str(ctx.incoming.formValue?.[key]).trim();

/** “评查抽样 2026年第三季度 30 种子 abc”: the period, the size and the seed. */
function parseSampleArgs(args: string, today: string) {
  let rest = args.trim();
  let seed: string | undefined;
  const s = /\s*(?:种子|seed)[:：\s]*(\S+)$/i.exec(rest);
  if (s) {
    seed = s[1];
    rest = rest.slice(0, s.index).trim();
  }
  const m = /^(.*\S)\s+(\S+)$/.exec(rest);
  if (!m) throw new UserError(`请写明时间段和抽样件数或比例，例如：${SAMPLE_EXAMPLE}`);
  const period = parseReviewPeriod(m[1], today);
  if (!period) throw new UserError(`看不懂时间段“${m[1].slice(0, 30)}”。${PERIOD_HELP}`);
  const size = parseSampleSize(m[2]);
  if (!size) throw new UserError(`看不懂抽样数“${m[2].slice(0, 20)}”：件数写整数（如 30），比例写百分数（如 10%）`);
  return { period, size, seed };
}

const RECORD_KEYS: Record<string, 'note' | 'unit' | 'due'> = { 意见: 'note', 整改单位: 'unit', 单位: 'unit', 整改期限: 'due', 期限: 'due' };

/** “评查 2026-000123 规范” / “评查 2026-000123 问题 答复不规范、超期办结 意见 … 单位 … 期限 12月31日” (the parts after 问题 in any order). */
function parseRecordWords(rest: string): RecordInput | null {
  const t = rest.trim();
  if (!t) return null;
  if (t === '规范') return { ok: true };
  const m = /^(?:不规范|问题)[:：\s]*(.*)$/s.exec(t);
  if (!m) throw new UserError('请写“规范”，或“问题 答复不规范、超期办结 意见 … 单位 … 期限 12月31日”；也可以只发“评查 <编号>”用卡片填写。');
  const parts = m[1].split(/(?:^|\s+)(意见|整改单位|单位|整改期限|期限)[:：\s]*/);
  const input: RecordInput = { ok: false, problems: parts[0] };
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const key = RECORD_KEYS[parts[i]];
    if (input[key] !== undefined) throw new UserError(`“${parts[i]}”写了两次，请只写一次`);
    input[key] = parts[i + 1].trim();
  }
  return input;
}

/** “评查抽样 撤销 3”: the sample's number, or null when the words are a new sample. */
function cancelArg(args: string): number | null | undefined {
  const m = /^(?:撤销|取消)\s*(.*)$/.exec(args.trim());
  if (!m) return undefined;
  return parseSampleNo(m[1]);
}

/** 评查抽样, 评查, 评查台账, 整改 and the review cards' buttons. */
export function registerReviewCommands(router: Router, reviews: ReviewService, sampler: ReviewSampler): void {
  router.command({ names: ['评查抽样'], help: '按时间段抽取已办结信访事项进行评查（按承办单位分层）', example: SAMPLE_EXAMPLE, roles: ['admin'], group: GROUP }, async (ctx) => {
    const cancel = cancelArg(ctx.args);
    if (cancel === null) throw new UserError('请写明要撤销的抽样编号（见评查抽样卡片），例如：评查抽样 撤销 3');
    if (cancel !== undefined) {
      const r = await sampler.cancel(cancel, ctx.user.id, ctx.now);
      return [text(`已撤销抽样 ${r.sample.id}（${r.sample.periodLabel}，${r.sample.asked}），其中 ${r.cancelled.length} 件评查一并撤销，这些案件可重新抽取。`)];
    }
    const { period, size, seed } = parseSampleArgs(ctx.args, shanghaiDate(ctx.now));
    return [card(sampleCard(await sampler.sample(period, size, seed, ctx.user.id, ctx.now)))];
  });

  router.command({ names: ['评查'], help: '评查一件已办结的信访事项（打开评查卡片，或直接写结论）', example: '评查 2026-000123；评查 2026-000123 问题 答复不规范', roles: ['staff', 'admin'], group: GROUP }, async (ctx) => {
    const m = /^(\S+)\s*(.*)$/s.exec(ctx.args.trim());
    if (!m) throw new UserError('请在“评查”后写上案件编号或评查编号，例如：评查 2026-000123');
    const words = parseRecordWords(m[2]);
    if (!words) {
      const v = await reviews.openForCase(m[1]);
      return [card(reviewRecordCard(v.review, v.c, reviews.problemList()))];
    }
    return recorded(await reviews.record(m[1], words, ctx.user, ctx.now));
  });

  router.command({ names: ['评查台账'], help: '评查台账：已评查、发现问题、已整改', example: '评查台账 2026', roles: ['staff', 'admin', 'leader'], group: GROUP }, async (ctx) =>
    [await ledger(reviews, ctx.args, ctx.now, 1)],
  );

  router.command({ names: ['整改'], help: '报告评查发现问题的整改情况', example: '整改 PC2026-0001 已重新书面答复并告知复查权利', roles: ['unit', 'staff', 'admin'], group: GROUP }, async (ctx) => {
    const m = /^(\S+)\s*(.*)$/s.exec(ctx.args.trim());
    if (!m) throw new UserError('请写明评查编号和整改情况，例如：整改 PC2026-0001 已重新书面答复信访人');
    const v = await reviews.report(m[1], m[2], ctx.user, ctx.now);
    return [text(`已报告评查 ${v.review.reviewNo}（案件 ${v.review.caseNo}）的整改情况，等待信访局确认。`)];
  });

  router.action(REVIEW_ACTIONS.record, async (ctx) => {
    const ok = ctx.incoming.value.ok === true;
    const input: RecordInput = ok ? { ok } : { ok, problems: formText(ctx, 'problems'), note: formText(ctx, 'note'), unit: formText(ctx, 'unit'), due: formText(ctx, 'due') };
    return recorded(await reviews.record(str(ctx.incoming.value.reviewNo) || str(ctx.incoming.value.caseNo), input, ctx.user, ctx.now));
  }, ['staff', 'admin']);

  router.action(REVIEW_ACTIONS.report, async (ctx) => {
    const v = await reviews.report(str(ctx.incoming.value.reviewNo), formText(ctx, 'rectification'), ctx.user, ctx.now);
    return [text(`已报告评查 ${v.review.reviewNo}（案件 ${v.review.caseNo}）的整改情况，等待信访局确认。`)];
  }, ['unit', 'staff', 'admin']);

  const decide = (accept: boolean) => async (ctx: Context<IncomingAction>): Promise<Outgoing[]> => {
    const v = await reviews.decide(str(ctx.incoming.value.reviewNo), accept, formText(ctx, 'reason'), ctx.user, ctx.now);
    return [text(accept ? `已确认评查 ${v.review.reviewNo} 的整改，评查结束。` : `已将评查 ${v.review.reviewNo} 退回${v.review.fixUnit ?? ''}重新整改。`)];
  };
  router.action(REVIEW_ACTIONS.accept, decide(true), ['staff', 'admin']);
  router.action(REVIEW_ACTIONS.return, decide(false), ['staff', 'admin']);
  router.action(REVIEW_ACTIONS.ledger, async (ctx) => [await ledger(reviews, str(ctx.incoming.value.period), ctx.now, Number(ctx.incoming.value.page) || 1)], ['staff', 'admin', 'leader']);
}

function recorded(r: Awaited<ReturnType<ReviewService['record']>>): Outgoing[] {
  const { review } = r.view;
  const what = review.problems.length
    ? `发现问题：${review.problems.join('、')}，已通知${review.fixUnit}在${review.fixDueDate ? formatChineseDate(review.fixDueDate) : ''}前整改。`
    : '结论：办理规范，评查结束。';
  return [text(`已记录评查 ${review.reviewNo}（案件 ${review.caseNo}）。${what}${r.warning ? `\n${r.warning}` : ''}`)];
}

async function ledger(reviews: ReviewService, args: string, now: Date, page: number): Promise<Outgoing> {
  const t = args.trim();
  const period = t ? parseReviewPeriod(t, shanghaiDate(now)) : null;
  if (t && !period) throw new UserError(`看不懂时间段“${t.slice(0, 30)}”。${PERIOD_HELP}`);
  const rows = await reviews.store.list(period);
  // The figures of the rows shown: the reviews of the period's cases (see ReviewStore.list).
  const figures = computeReviewFigures(rows);
  return card(ledgerCard(period, rows, figures, page));
}
