import { shanghaiTime } from '../platform/calendar/domain';
import type { CaseService } from '../cases';
import type { Router } from '../platform/chat/router';
import { text } from '../platform/chat/messages';
import { FormRunner, NO_FORM_REPLY } from '../platform/forms/form-runner';
import { PETITION_FORM } from './petition-cards';
import { PETITION_START_WORDS } from './petition-form';

/** How long after a save a second 确认 is taken as a repeat of the first. */
const RECENT_SAVE_MS = 10 * 60 * 1000;

/**
 * 登记 (来访登记, 新建信访): starts 信访登记, in turns or from a pasted block; 登记表单 opens the
 * card. The control words (确认, 取消, 上一步, 跳过, 修改) are answered here only when no form is
 * open; while one is, the runner's middleware takes them, and takes free text as answers (see
 * FormRunner.middleware for the rule about text that starts with a command word).
 */
export function registerIntake(router: Router, runner: FormRunner, cases: CaseService): void {
  router.use(runner.middleware(router));

  router.command(
    {
      names: PETITION_START_WORDS,
      help: '信访登记：逐项回答，或在“登记”后粘贴“字段：值”多行一次填好',
      roles: ['staff', 'admin'],
      group: '登记',
      example: '登记',
    },
    (ctx) => runner.start(ctx, PETITION_FORM, ctx.args),
  );

  router.command(
    { names: ['登记表单', '表单登记'], help: '用卡片表单一次填完信访登记', roles: ['staff', 'admin'], group: '登记' },
    (ctx) => runner.openCard(ctx, PETITION_FORM),
  );

  router.command(
    { names: ['确认', '确定', '取消', '上一步', '跳过', '修改'], help: '表单中：确认保存、取消、返回上一步、跳过、修改某项', hidden: true },
    async (ctx) => {
      // 确认 sent twice (a double click, a retyped word): say what the first one saved.
      if (/^(确认|确定)/.test(ctx.incoming.kind === 'message' ? ctx.incoming.text.trim() : '')) {
        const last = await cases.lastRegisteredBy(ctx.user.id, new Date(ctx.now.getTime() - RECENT_SAVE_MS));
        if (last) {
          return [text(`您刚才的登记已经保存，编号 ${last.caseNo}（${shanghaiTime(last.createdAt)} 保存），不需要再次确认。发送“查询 ${last.caseNo}”可查看。`)];
        }
      }
      return [text(NO_FORM_REPLY)];
    },
  );

  for (const kind of ['answer', 'skip', 'confirm', 'edit', 'cancel', 'open', 'submit']) {
    router.action(`form.${kind}`, (ctx) => runner.action(ctx, kind));
  }
}
