import type { Knex } from 'knex';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import type { Core } from '../platform/core/feature';
import type { ReviewCase } from '../cases';
import { rectifyNoticeCard, reportToReviewerCard } from './review-cards';
import type { ReviewRow } from './review-store';

/**
 * The cards a review sends, queued in the caller's transaction: the 整改 notice to the unit's
 * groups (or, without one, to each of its users), the report to the reviewer, the answer back.
 * They carry the petitioner's masked name and nothing else personal.
 */
export class ReviewNotifications {
  constructor(private readonly core: Core) {}

  /** Returns a warning for the reviewer when the unit has no group. */
  async toUnit(trx: Knex.Transaction, r: ReviewRow, c: ReviewCase, now: Date, returnedReason?: string): Promise<string | null> {
    return this.sendToUnit(trx, r, rectifyNoticeCard(r, c, returnedReason), `review:${r.reviewNo}:${returnedReason === undefined ? 'notice' : 'returned'}`, now);
  }

  async toReviewer(trx: Knex.Transaction, r: ReviewRow, c: ReviewCase, reviewerId: string | null, bureauChats: string[], now: Date): Promise<void> {
    const content = reportToReviewerCard(r, c);
    const source = `review:${r.reviewNo}:reported`;
    if (reviewerId) {
      await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: reviewerId, msgType: 'interactive', content, source }, now);
      return;
    }
    for (const id of bureauChats) await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: id, msgType: 'interactive', content, source }, now);
  }

  /** Accepted: a line to the unit; returned: the notice again, with the reviewer's reason. */
  async decisionToUnit(trx: Knex.Transaction, r: ReviewRow, c: ReviewCase, accepted: boolean, reason: string, now: Date): Promise<void> {
    if (!accepted) {
      await this.toUnit(trx, r, c, now, reason);
      return;
    }
    const content = { text: `评查 ${r.reviewNo}（案件 ${r.caseNo}）的整改已经信访局确认，评查结束。` };
    await this.sendToUnit(trx, r, content, `review:${r.reviewNo}:fixed`, now, 'text');
  }

  private async sendToUnit(trx: Knex.Transaction, r: ReviewRow, content: unknown, source: string, now: Date, msgType: 'interactive' | 'text' = 'interactive'): Promise<string | null> {
    const unit = r.fixUnit;
    if (!unit) return null;
    const chats = await this.core.chats.forUnit(unit, trx);
    if (chats.length) {
      for (const chat of chats) await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: chat.id, msgType, content, source }, now);
      return null;
    }
    const people = await this.core.users.unitUserIds(unit, trx);
    for (const id of people) await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: id, msgType, content, source }, now);
    return people.length
      ? `${unit}还没有登记工作群，整改通知已逐一发给该单位的 ${people.length} 位用户。请把信访助手拉进该单位的工作群，并请系统管理员登记该群。`
      : `${unit}还没有登记工作群，也没有该单位的用户，整改通知无人接收。请把信访助手拉进该单位的工作群，并请系统管理员登记该群。`;
  }
}
