import type { Router } from '../platform/chat/router';
import { card, text, type Outgoing } from '../platform/chat/messages';
import { DOCX_MIME } from './letter-document';
import { LETTER_TYPES, LetterType } from './letter-numbering';
import type { LetterService } from './letter-service';
import { SUGGEST_ACTION, suggestionFormCard } from './letter-cards';
import { parseSuggestion, SUGGESTION_EXAMPLE, SuggestionLetter, SuggestionLetters } from './suggestion-letter';

const HELP: Record<LetterType, { help: string; example: string }> = {
  督办函: { help: '为逾期案件生成督办函（文字与 Word 文件）', example: '督办函 2026-000123（同一期限再发：督办函 2026-000123 再次）' },
  提醒函: { help: '为临期或逾期案件生成提醒函（文字与 Word 文件）', example: '提醒函 2026-000123' },
};

function suggestionReplies(l: SuggestionLetter): Outgoing[] {
  const cited = l.caseNos.length ? `，涉及案件 ${l.caseNos.join('、')}（已记入这些案件的记录）` : '';
  return [
    text(`已生成改进工作建议函 ${l.number}（致${l.unit}${cited}）。\n\n${l.text}`),
    { type: 'file', name: l.fileName, mime: DOCX_MIME, base64: l.docxBase64 },
  ];
}

/** 督办函 <编号>, 提醒函 <编号> and 建议函 <单位> <内容> [案件编号…], for registry staff and admins. */
export function registerLetterCommands(router: Router, letters: LetterService, suggestions: SuggestionLetters, units: () => string[]): void {
  for (const type of LETTER_TYPES) {
    router.command(
      { names: [type], help: HELP[type].help, example: HELP[type].example, roles: ['staff', 'admin'], group: '期限与督办', glued: true },
      async (ctx): Promise<Outgoing[]> => {
        const letter = await letters.issue(type, ctx.args, ctx.user, ctx.now);
        return [
          text(`已生成${type} ${letter.number}（案件 ${letter.caseNo}），已记入案件记录。\n\n${letter.text}`),
          { type: 'file', name: letter.fileName, mime: DOCX_MIME, base64: letter.docxBase64 },
        ];
      },
    );
  }
  router.command(
    { names: ['建议函', '改进工作建议函'], help: '向单位发改进工作建议函（文字与 Word 文件）', example: SUGGESTION_EXAMPLE, roles: ['staff', 'admin'], group: '期限与督办' },
    async (ctx): Promise<Outgoing[]> => {
      if (!ctx.args.trim()) return [card(suggestionFormCard(units()))];
      return suggestionReplies(await suggestions.issue(parseSuggestion(ctx.args), ctx.user, ctx.now));
    },
  );
  router.action(SUGGEST_ACTION, async (ctx) => {
    const f = ctx.incoming.formValue ?? {};
    const s = (k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
    const caseNos = s('cases').split(/[\s、，,；;]+/).filter(Boolean);
    return suggestionReplies(await suggestions.issue({ unit: s('unit'), content: s('content'), caseNos }, ctx.user, ctx.now));
  }, ['staff', 'admin']);
}
