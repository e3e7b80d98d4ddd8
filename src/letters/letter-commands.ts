import type { Router } from '../platform/chat/router';
import { text, type Outgoing } from '../platform/chat/messages';
import { DOCX_MIME } from './letter-document';
import { LETTER_TYPES, LetterType } from './letter-numbering';
import type { LetterService } from './letter-service';

const HELP: Record<LetterType, { help: string; example: string }> = {
  督办函: { help: '为逾期案件生成督办函（文字与 Word 文件）', example: '督办函 2026-000123（同一期限再发：督办函 2026-000123 再次）' },
  提醒函: { help: '为临期或逾期案件生成提醒函（文字与 Word 文件）', example: '提醒函 2026-000123' },
};

/** 督办函 <编号> and 提醒函 <编号>, for registry staff and admins. */
export function registerLetterCommands(router: Router, letters: LetterService): void {
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
}
