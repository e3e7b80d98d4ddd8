import { CASE_ACTION_LABELS } from './domain/case-lifecycle';
import { isBureau } from './domain/case-access';
import { CASE_STATUS_LABELS } from './domain/case-status';
import type { CaseService } from './case-service';
import { CaseView, linkOf, TransitionOutcome } from './case-records';
import type { Context } from '../platform/chat/router';
import { card, Outgoing, text } from '../platform/chat/messages';
import { buildCaseCard } from './case-cards';
import { behalfLabel } from './case-notifications';

/** Personal data is shown whole only to staff/admin looking at one case in a P2P chat. */
export function mayReveal(ctx: Context): boolean {
  return isBureau(ctx.user) && ctx.incoming.chatType === 'p2p';
}

/** The case card as the person in this conversation may see it, with the newest entries of its 办理记录. */
export async function caseCard(cases: CaseService, v: CaseView, ctx: Context, note?: string): Promise<Outgoing> {
  const audit = (await cases.auditTrail(v.record.id, { short: true })).map((e) => e.label);
  return card(
    buildCaseCard(v.record, {
      deadlines: v.deadlines,
      links: v.links.map((l) => linkOf(l.record)),
      actions: v.actions,
      reveal: mayReveal(ctx),
      leaderName: v.leaderName,
      note,
      audit,
    }),
  );
}

/**
 * What a person reads after a case action, by button or by words: what was done and the state it
 * moved to, what they should know, and the case card as they may now see it.
 */
export async function transitionReplies(ctx: Context, out: TransitionOutcome, cases: CaseService): Promise<Outgoing[]> {
  // A unit's decision the bureau recorded for it reads as such: 已代县教育局受理.
  const label = out.onBehalfOf ? `代${out.onBehalfOf}${behalfLabel(out.action)}` : CASE_ACTION_LABELS[out.action];
  const moved = out.from === out.to ? '' : `，状态“${CASE_STATUS_LABELS[out.from]}”→“${CASE_STATUS_LABELS[out.to]}”`;
  const extra = out.action === 'assign' ? `，已把案件卡片发给${out.record.unit}` : '';
  const replies: Outgoing[] = [text(`已${label}：案件 ${out.record.caseNo}${moved}${extra}。`)];
  for (const w of out.warnings) replies.push(text(w));
  try {
    replies.push(await caseCard(cases, await cases.view(out.record.caseNo, ctx.user), ctx));
  } catch {
    // After 交办 or 退回 a viewer may no longer see the case (a unit that returned it): the text says enough.
  }
  return replies;
}
