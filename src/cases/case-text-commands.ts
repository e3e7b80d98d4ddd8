import { CASE_WORDS, CaseWord, commandFromWords, splitCaseArgs } from './domain/case-words';
import type { CaseService } from './case-service';
import type { Context, Router } from '../platform/chat/router';
import type { IncomingMessage, Outgoing } from '../platform/chat/messages';
import { text } from '../platform/chat/messages';
import { transitionReplies } from './case-replies';

/**
 * The case actions typed as words (受理 2026-000322, 延期 2026-000322 30 理由 …): the same checks as
 * the buttons (CaseTransitions.transition), the same reply (the case card).
 */
export function registerCaseTextCommands(router: Router, cases: CaseService): void {
  for (const word of CASE_WORDS) {
    router.command(
      { names: word.names, help: word.help, roles: word.roles, group: '案件办理', example: word.example },
      (ctx) => onCaseWord(ctx, word, cases),
    );
  }
}

async function onCaseWord(ctx: Context<IncomingMessage>, word: CaseWord, cases: CaseService): Promise<Outgoing[]> {
  const split = splitCaseArgs(word, ctx.args);
  if (!split.ok) return [text(split.error)];
  const { caseNo, rest } = split.value;
  const action = await cases.pickAction(caseNo, word.actions, ctx.user);
  const leaders = action === 'own' ? (await cases.leaders()).map((l) => ({ id: l.id, name: l.name, title: l.title })) : undefined;
  const cmd = commandFromWords(action, caseNo, rest, { units: cases.units(), leaders });
  if (!cmd.ok) {
    // A refusal of the action itself (role, unit, state) comes before asking for what it would need.
    await cases.precheck(caseNo, action, ctx.user);
    return [text(cmd.error)];
  }
  return transitionReplies(ctx, await cases.transition(caseNo, cmd.value, ctx.user), cases);
}
