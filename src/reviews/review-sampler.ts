import { randomBytes } from 'node:crypto';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import { runTransaction } from '../platform/database/transaction';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { ReviewCaseQueries } from '../cases';
import type { ReviewPeriod } from './domain/review-period';
import { drawSample, SampleAllocation, SampleCandidate, sizeFromShare } from './domain/review-sampling';
import { sampleCancelRefusal } from './domain/review-rules';
import { ReviewRow, ReviewStore, SampleRow } from './review-store';

/** How a case handled by the bureau itself (not 交办 to a unit) is counted in the strata. */
export const BUREAU_STRATUM = '信访局（自办）';

export type SampleSize = { count: number } | { share: number };

export interface SampleResult {
  /** The sample's number (评查抽样 撤销 <抽样编号>). */
  sampleId: number;
  period: ReviewPeriod;
  asked: string;
  seed: string;
  /** Concluded in the period, and not reviewed before. */
  population: number;
  /** Concluded in the period but already in a review. */
  alreadyReviewed: number;
  byUnit: SampleAllocation[];
  raisedTo: number | null;
  reviews: ReviewRow[];
}

const askedText = (s: SampleSize) => ('count' in s ? `${s.count}件` : `${Math.round(s.share * 1000) / 10}%`);

/**
 * 评查抽样: draws concluded cases of a period, stratified by unit, and opens a review for each,
 * in one transaction. A case reviewed before (open or closed) is not drawn again.
 */
export class ReviewSampler {
  private readonly store: ReviewStore;
  private readonly cases: ReviewCaseQueries;

  constructor(private readonly core: Core) {
    this.store = new ReviewStore(core.db);
    this.cases = new ReviewCaseQueries(core.db);
  }

  async sample(period: ReviewPeriod, size: SampleSize, seedArg: string | undefined, actorId: string, now: Date): Promise<SampleResult> {
    if ('share' in size && !(size.share > 0 && size.share <= 1)) throw new UserError('抽样比例应在 0 到 100% 之间，例如 10% 或 0.1');
    if ('count' in size && !(Number.isInteger(size.count) && size.count > 0)) throw new UserError('抽样件数应为正整数，例如 30');
    const seed = (seedArg ?? randomBytes(4).toString('hex')).trim();
    if (!seed || seed.length > 64) throw new UserError('随机种子应为 1 到 64 个字符');
    return runTransaction(this.core.db, async (trx) => {
      const concluded = await this.cases.concludedBetween(period.from, period.to, trx);
      const reviewed = await this.store.reviewedCaseIds(concluded.map((c) => c.id), trx);
      const candidates: SampleCandidate[] = concluded
        .filter((c) => !reviewed.has(c.id))
        .map((c) => ({ caseId: c.id, caseNo: c.caseNo, unit: c.unit ?? BUREAU_STRATUM }));
      const n = 'count' in size ? size.count : sizeFromShare(size.share, candidates.length);
      if (!candidates.length || n > candidates.length) throw new UserError(tooFew(period, concluded.length, reviewed.size, n));
      const plan = drawSample(candidates, n, seed);
      const asked = askedText(size);
      const today = shanghaiDate(now);
      const sampleId = await this.store.insertSample(
        trx,
        { periodLabel: period.label, from: period.from, to: period.to, asked, seed, population: candidates.length, drawn: plan.picked.length, by: actorId },
        now,
      );
      const byId = new Map(concluded.map((c) => [c.id, c]));
      const reviews: ReviewRow[] = [];
      for (const p of plan.picked) {
        const c = byId.get(p.caseId)!;
        const r = await this.store.insertReview(trx, { sampleId, caseId: c.id, caseNo: c.caseNo, caseUnit: p.unit, concludedDate: c.concludedDate, drawnDate: today }, now);
        await this.store.logEvent(trx, r.id, 'drawn', actorId, { sampleId, period: period.label, seed }, now);
        reviews.push(r);
      }
      return { sampleId, period, asked, seed, population: candidates.length, alreadyReviewed: reviewed.size, byUnit: plan.byUnit, raisedTo: plan.raisedTo, reviews };
    });
  }

  /**
   * 评查抽样 撤销 <抽样编号>: takes a sample back while none of its reviews was recorded (nothing was
   * told to any unit yet); its cases may be drawn again. Refused, with the reviews that stand in
   * the way, once one was recorded.
   */
  async cancel(sampleId: number, actorId: string, now: Date): Promise<{ sample: SampleRow; cancelled: ReviewRow[] }> {
    const sample = await this.store.sampleById(sampleId);
    if (!sample) throw new NotFoundError(`没有找到抽样 ${sampleId}，请核对抽样编号（见评查抽样卡片）`);
    const refuse = (rows: ReviewRow[]) => sampleCancelRefusal({ id: sample.id, cancelled: sample.cancelledBy !== null }, rows);
    const why = refuse(await this.store.ofSample(sample.id));
    if (why) throw new UserError(why);
    return runTransaction(this.core.db, async (trx) => {
      if (!(await this.store.cancelSample(trx, sample.id, actorId, now))) {
        // Someone recorded a review (or cancelled the sample) meanwhile: say what stands in the way now.
        throw new UserError(refuse(await this.store.ofSample(sample.id)) ?? `抽样 ${sample.id} 刚被他人改变，请重新查看。`);
      }
      const rows = await this.store.ofSample(sample.id, trx);
      for (const r of rows) await this.store.logEvent(trx, r.id, 'cancelled', actorId, { sampleId: sample.id }, now);
      return { sample, cancelled: rows };
    });
  }
}

function tooFew(period: ReviewPeriod, concluded: number, reviewed: number, n: number): string {
  const free = concluded - reviewed;
  if (!concluded) return `${period.label}没有办结的信访事项，无法抽样。`;
  const already = reviewed ? `（其中 ${reviewed} 件已评查或正在评查，不再重复抽取，可抽 ${free} 件）` : '';
  if (!free) return `${period.label}办结的 ${concluded} 件信访事项都已评查或正在评查，没有可抽取的事项。`;
  return `${period.label}办结的信访事项共 ${concluded} 件${already}，不足 ${n} 件，请减少抽样件数。`;
}
