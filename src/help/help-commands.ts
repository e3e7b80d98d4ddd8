import type { Router } from '../platform/chat/router';
import { text } from '../platform/chat/messages';
import { ROLE_NAMES } from '../platform/directory/user-store';

/** 帮助 and 我是谁: what every user may ask. */
export function registerBasics(router: Router): void {
  router.command({ names: ['帮助', 'help', '?', '？', '菜单'], help: '列出您可以使用的功能', group: '通用' }, (ctx) => {
    const groups = new Map<string, string[]>();
    for (const c of router.commandsFor(ctx.user.role)) {
      const g = c.group ?? '其他';
      const line = `• **${c.names[0]}** — ${c.help}${c.example ? `（例：${c.example}）` : ''}`;
      groups.set(g, [...(groups.get(g) ?? []), line]);
    }
    const body = [...groups.entries()].map(([g, lines]) => `【${g}】\n${lines.join('\n')}`).join('\n\n');
    return [text(`${ctx.user.name}，您好！您的角色是“${ROLE_NAMES[ctx.user.role]}”，可以使用：\n\n${body}`)];
  });

  router.command({ names: ['我是谁', 'whoami'], help: '查看您的身份、角色和所属单位', group: '通用' }, (ctx) => {
    const u = ctx.user;
    const lines = [
      `姓名：${u.name}`,
      `角色：${ROLE_NAMES[u.role]}`,
      u.title ? `职务：${u.title}` : null,
      u.unit ? `单位：${u.unit}` : null,
      u.town ? `乡镇：${u.town}` : null,
      `用户ID：${u.id}`,
    ].filter(Boolean);
    return [text(lines.join('\n'))];
  });
}
