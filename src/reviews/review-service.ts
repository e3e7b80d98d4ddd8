import { formatChineseDate, IsoDate, shanghaiDate } from '../platform/calendar/domain/dates';
import { parseDayWord } from '../platform/calendar/domain/day-words';
import { WorkingDays } from '../platform/calendar/domain/lenient-working-days';
import { runTransaction } from '../platform/database/transaction';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import { isCaseNo, ReviewCase, ReviewCaseQueries } from '../cases';
import {
  DEFAULT_FIX_WORKING_DAYS, DEFAULT_REVIEW_PROBLEMS, fixDueDateError, parseProblems, parseReviewNo, REVIEW_STATUS_LABELS, ReviewStatus,
} from './domain/review-rules';
import { ReviewNotifications } from './review-notifications';
import { BUREAU_STRATUM } from './review-sampler';
import { ReviewRow, ReviewStore } from './review-store';

/** Who acts: a chat user, or the CLI (`--by`, else "cli"). */
export type ReviewActor = Pick<User, 'id' | 'role' | 'unit'>;

export interface RecordInput {
  ok: boolean;
  /** The problems as typed (、 or , between them). */
  problems?: string;
  note?: string;
  unit?: string;
  /** The 整改 date as typed (12月31日, 2026-12-31, 下周五); 15 working days on when empty. */
  due?: string;
}

const NOTE_MAX = 500;
const REPORT_MAX = 1000;

/** The review with its case, as a card or the CLI shows it. */
export interface ReviewView {
  review: ReviewRow;
  c: ReviewCase;
}

/**
 * 评查: recording a review (规范, or the problems and who must fix them), the unit's 整改 report,
 * and the reviewer accepting it (closed) or sending it back. Each write is one transaction with
 * its audit entry (review_events) and the cards it sends (outbox).
 */
export class ReviewService {
  readonly store: ReviewStore;
  private readonly cases: ReviewCaseQueries;
  private readonly notes: ReviewNotifications;

  constructor(private readonly core: Core) {
    this.store = new ReviewStore(core.db);
    this.cases = new ReviewCaseQueries(core.db);
    this.notes = new ReviewNotifications(core);
  }

  /** The problems a reviewer may pick: config/reference.json reviewProblems, else the built-in list. */
  problemList(): string[] {
    const configured = this.core.reference().reviewProblems;
    return configured?.length ? configured : DEFAULT_REVIEW_PROBLEMS;
  }

  /** A review by its number (PC2026-0001) or its case's number (the open review, else the latest). */
  async find(ref: string): Promise<ReviewView> {
    const t = ref.trim();
    const no = parseReviewNo(t);
    let review: ReviewRow | null = null;
    if (no) review = await this.store.byNo(no);
    else if (isCaseNo(t)) {
      const c = await this.cases.caseByNo(t);
      if (!c) throw new NotFoundError(`没有找到案件 ${t}，请核对编号`);
      review = (await this.store.openForCase(c.id)) ?? (await this.store.liveForCase(c.id));
      if (!review) throw new NotFoundError(`案件 ${t} 目前不在评查中。管理员可发送“评查抽样”抽取，或发送“评查 ${t}”对它单独评查。`);
    } else throw new UserError(`“${t.slice(0, 20)}”不是评查编号（如 PC2026-0001）或案件编号（如 2026-000123）`);
    if (!review) throw new NotFoundError(`没有找到评查 ${no}，请核对编号`);
    return { review, c: (await this.cases.caseByNo(review.caseNo))! };
  }

  /**
   * 评查 <案件编号>: the case's open review; for a concluded case not drawn, a review not yet saved
   * (reviewNo empty, numbered when it is recorded), so opening the card writes nothing.
   */
  async openForCase(caseNo: string): Promise<ReviewView> {
    const t = caseNo.trim();
    if (!isCaseNo(t)) {
      if (parseReviewNo(t)) return this.find(t);
      throw new UserError(`案件编号“${t.slice(0, 20)}”格式不对，应为“年份-六位序号”，例如 2026-000123`);
    }
    const c = await this.cases.caseByNo(t);
    if (!c) throw new NotFoundError(`没有找到案件 ${t}，请核对编号`);
    const open = await this.store.openForCase(c.id);
    if (open) return { review: open, c };
    const done = await this.store.liveForCase(c.id);
    if (done) throw new UserError(alreadyReviewedText(done));
    if (!c.concludedDate) throw new UserError(`案件 ${t} 尚未办结，评查只针对已办结的信访事项。`);
    return { review: unsavedReview(c), c };
  }

  /** Records the review: 规范, or the problems, a note and the unit that must 整改 (the case's by default). */
  async record(ref: string, input: RecordInput, actor: ReviewActor, now: Date): Promise<{ view: ReviewView; warning: string | null }> {
    const problems = this.readProblems(input);
    const note = input.note?.trim() ? maskPersonalDataInText(input.note.trim()) : null;
    if (note && note.length > NOTE_MAX) throw new UserError(`评查意见太长（${note.length} 字），请控制在 ${NOTE_MAX} 字以内`);
    const { review: found, c } = isCaseNo(ref.trim()) ? await this.openForCase(ref) : await this.find(ref);
    if (found.status === 'cancelled') throw new UserError(cancelledText(found));
    if (found.status !== 'pending') {
      throw new UserError(`评查 ${found.reviewNo}（案件 ${found.caseNo}）已记录为“${REVIEW_STATUS_LABELS[found.status]}”，不能重复记录。`);
    }
    const fixUnit = problems.length ? await this.fixUnitOf(c, input.unit) : null;
    const fixDueDate = problems.length ? this.fixDueOf(input.due, now) : null;
    const status: ReviewStatus = problems.length ? 'rectifying' : 'ok';
    return this.onceForCase(c.id, () => runTransaction(this.core.db, async (trx) => {
      let review = found;
      if (!review.id) {
        // A case reviewed on its own, outside a sample: opened here, with the record.
        review = await this.store.insertReview(trx, { sampleId: null, caseId: c.id, caseNo: c.caseNo, caseUnit: review.caseUnit, concludedDate: c.concludedDate, drawnDate: shanghaiDate(now) }, now);
        await this.store.logEvent(trx, review.id, 'drawn', actor.id, { single: true }, now);
      }
      const patch = { status, problems, note, fixUnit, fixDueDate, reviewerId: actor.id, reviewedDate: shanghaiDate(now), ...(status === 'ok' ? { closedBy: actor.id } : {}) };
      if (!(await this.store.update(trx, review.id, 'pending', patch, now))) throw new UserError(`评查 ${review.reviewNo} 刚被他人记录或所在抽样刚被撤销，请重新打开查看。`);
      await this.store.logEvent(trx, review.id, 'recorded', actor.id, { ok: !problems.length, problems, fixUnit, fixDueDate }, now);
      const updated = (await this.store.byId(review.id, trx))!;
      const warning = problems.length ? await this.notes.toUnit(trx, updated, c, now) : null;
      return { view: { review: updated, c }, warning };
    }));
  }

  /** Runs `work`; when it fails because the case got its review meanwhile (two presses at once), says so in Chinese. */
  private async onceForCase<T>(caseId: number, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const done = await this.store.liveForCase(caseId);
      if (done) throw new UserError(alreadyReviewedText(done));
      throw e;
    }
  }

  /** 整改 <编号> <情况>: the unit that must fix it (or the bureau on its behalf) reports what was done. */
  async report(ref: string, text: string, actor: ReviewActor, now: Date): Promise<ReviewView> {
    const { review, c } = await this.find(ref);
    if (actor.role === 'unit' && actor.unit !== review.fixUnit) throw new ForbiddenError(`评查 ${review.reviewNo} 的整改单位是${review.fixUnit ?? '—'}，您所在单位不能报告它的整改。`);
    if (review.status === 'cancelled') throw new UserError(cancelledText(review));
    if (review.status !== 'rectifying') {
      const why = review.status === 'reported' ? '整改情况已报告，正等待信访局确认' : `状态为“${REVIEW_STATUS_LABELS[review.status]}”，无需报告整改`;
      throw new UserError(`评查 ${review.reviewNo}（案件 ${review.caseNo}）${why}。`);
    }
    const rectification = maskPersonalDataInText(text.trim());
    if (!rectification) throw new UserError(`请写明整改情况，例如：整改 ${review.reviewNo} 已重新书面答复信访人并告知复查权利`);
    if (rectification.length > REPORT_MAX) throw new UserError(`整改情况太长（${rectification.length} 字），请控制在 ${REPORT_MAX} 字以内`);
    const reviewer = review.reviewerId ? await this.core.users.get(review.reviewerId) : null;
    const bureau = reviewer ? [] : await this.core.chats.forRole('bureau');
    return runTransaction(this.core.db, async (trx) => {
      if (!(await this.store.update(trx, review.id, 'rectifying', { status: 'reported', rectification, reportedBy: actor.id }, now))) {
        throw new UserError(`评查 ${review.reviewNo} 的状态刚被他人改变，请重新查看。`);
      }
      await this.store.logEvent(trx, review.id, 'reported', actor.id, { rectification }, now);
      const updated = (await this.store.byId(review.id, trx))!;
      await this.notes.toReviewer(trx, updated, c, reviewer?.id ?? null, bureau.map((b) => b.id), now);
      return { review: updated, c };
    });
  }

  /** The reviewer's answer to a report: accepted closes the review; returned asks the unit again. */
  async decide(reviewNo: string, accept: boolean, reason: string, actor: ReviewActor, now: Date): Promise<ReviewView> {
    const { review, c } = await this.find(reviewNo);
    if (review.status !== 'reported') {
      throw new UserError(`评查 ${review.reviewNo} 目前状态为“${REVIEW_STATUS_LABELS[review.status]}”，没有待确认的整改报告。`);
    }
    const why = maskPersonalDataInText(reason.trim()).slice(0, NOTE_MAX);
    return runTransaction(this.core.db, async (trx) => {
      const patch = accept ? { status: 'fixed' as const, closedBy: actor.id } : { status: 'rectifying' as const };
      if (!(await this.store.update(trx, review.id, 'reported', patch, now))) throw new UserError(`评查 ${review.reviewNo} 的状态刚被他人改变，请重新查看。`);
      await this.store.logEvent(trx, review.id, accept ? 'accepted' : 'returned', actor.id, why ? { reason: why } : {}, now);
      const updated = (await this.store.byId(review.id, trx))!;
      await this.notes.decisionToUnit(trx, updated, c, accept, why, now);
      return { review: updated, c };
    });
  }

  /** The 整改 date: as typed, or DEFAULT_FIX_WORKING_DAYS working days from today. */
  private fixDueOf(typed: string | undefined, now: Date): IsoDate {
    const today = shanghaiDate(now);
    const t = typed?.trim();
    if (!t) return new WorkingDays(this.core.calendar.calendar).addWorkingDays(today, DEFAULT_FIX_WORKING_DAYS);
    const due = parseDayWord(t, today);
    if (!due) throw new UserError(`整改期限“${t.slice(0, 20)}”看不明白，请写如 ${formatChineseDate(today, false)}、2026-12-31、下周五`);
    const err = fixDueDateError(due, today);
    if (err) throw new UserError(err);
    return due;
  }

  private readProblems(input: RecordInput): string[] {
    const allowed = this.problemList();
    if (input.ok) {
      if (input.problems?.trim()) throw new UserError('“规范”与“发现问题”只能选一个');
      if (input.due?.trim()) throw new UserError('办理规范无需整改，不用写整改期限');
      return [];
    }
    const { problems, unknown } = parseProblems(input.problems ?? '', allowed);
    if (unknown.length) throw new UserError(`不认识的问题：${unknown.join('、')}。可选：${allowed.join('、')}`);
    if (!problems.length) throw new UserError(`请选择“规范”，或写明发现的问题（可选：${allowed.join('、')}）`);
    return problems;
  }

  private async fixUnitOf(c: ReviewCase, given: string | undefined): Promise<string> {
    const unit = given?.trim() || c.unit;
    if (!unit) throw new UserError(`案件 ${c.caseNo} 由信访局自行办理，请写明负责整改的单位`);
    if (!this.core.reference().units.includes(unit) && !(await this.core.users.hasUnit(unit))) {
      throw new UserError(`不认识单位“${unit.slice(0, 30)}”，请用单位全称，例如 ${this.core.reference().units[0] ?? '县自然资源局'}`);
    }
    return unit;
  }
}

/** A concluded case not drawn into any review: shown on the card, saved only when recorded. */
function unsavedReview(c: ReviewCase): ReviewRow {
  return {
    id: 0, reviewNo: '', sampleId: null, caseId: c.id, caseNo: c.caseNo, caseUnit: c.unit ?? BUREAU_STRATUM, concludedDate: c.concludedDate,
    status: 'pending', problems: [], note: null, fixUnit: null, fixDueDate: null, reviewerId: null, reviewedDate: null, rectification: null, reportedBy: null,
    closedBy: null, drawnDate: '',
  };
}

/** A case is reviewed once: the review it has. */
function alreadyReviewedText(r: ReviewRow): string {
  return `该事项已评查（${r.reviewNo}，${REVIEW_STATUS_LABELS[r.status]}），不能重复评查。发送“评查 ${r.reviewNo}”查看。`;
}

function cancelledText(r: ReviewRow): string {
  return `评查 ${r.reviewNo}（案件 ${r.caseNo}）所在的抽样已撤销，无需评查。如需评查该案件，请发送“评查 ${r.caseNo}”单独评查。`;
}
