import { CASE_WORDS, CaseWord, commandFromWords, splitCaseArgs } from './domain/case-words';
import type { CaseService } from './case-service';
import type { Context, Router } from '../platform/chat/router';
import type { IncomingMessage, Outgoing } from '../platform/chat/messages';
import { text } from '../platform/chat/messages';
import { transitionReplies } from './case-replies';

/**
 * The case actions typed as words (受理 2026-000322, 延期 2026-000322 30 理由 …): the same checks as
 * the buttons (CaseTransitions.transition), the same reply (the case card). Anyone may send a word
 * (帮助 lists it only for the roles that use it): a role that may not take the step is refused by
 * the transition, which says who takes it and what this role may do instead. The number may follow
 * the word with no space (受理2026-000069).
 */
/** A case number right after the word (受理2026-000069, full-width digits too): not 受理情况…. */
const GLUED_CASE_NO = /^[0-9０-９]{4}\s*[-－—]/;

export function registerCaseTextCommands(router: Router, cases: CaseService): void {
  for (const word of CASE_WORDS) {
    router.command(
      { names: word.names, help: word.help, listedFor: word.roles, group: '案件办理', example: word.example, glued: GLUED_CASE_NO },
      (ctx) => onCaseWord(ctx, word, cases),
    );
  }
}

async function onCaseWord(ctx: Context<IncomingMessage>, word: CaseWord, cases: CaseService): Promise<Outgoing[]> {
  const split = splitCaseArgs(word, ctx.args);
  if (!split.ok) return [text(split.error)];
  const { caseNo, rest, others } = split.value;
  const action = await cases.pickAction(caseNo, word.actions, ctx.user);
  const leaders = action === 'own' ? (await cases.leaders()).map((l) => ({ id: l.id, name: l.name, title: l.title })) : undefined;
  const cmd = commandFromWords(action, caseNo, rest, { units: cases.units(), leaders });
  if (!cmd.ok) {
    // A refusal of the action itself (role, unit, state) comes before asking for what it would need.
    await cases.precheck(caseNo, action, ctx.user);
    return [text(cmd.error)];
  }
  const replies = await transitionReplies(ctx, await cases.transition(caseNo, cmd.value, ctx.user), cases);
  const notes = [...(cmd.notes ?? [])];
  if (others.length) {
    notes.push(`一条消息只办理一件案件：${others.join('、')} 未办理，请逐件发送，例如“${word.names[0]} ${others[0]}”。`);
  }
  return [...replies, ...notes.map((n) => text(n))];
}
