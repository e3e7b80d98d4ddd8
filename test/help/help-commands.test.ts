import { registerBasics } from '../../src/help/help-commands';
import { Router } from '../../src/platform/chat/router';
import type { Outgoing } from '../../src/platform/chat/messages';
import type { User } from '../../src/platform/directory/user-store';
import { createLogger } from '../../src/platform/logging/logger';

const USERS: User[] = [
  { id: 'ou_yan', name: '张晓燕', role: 'staff', unit: null, town: null, title: null },
  { id: 'ou_li', name: '李建国', role: 'leader', unit: null, town: '阳城镇', title: '副县长' },
  { id: 'ou_edu', name: '周敏', role: 'unit', unit: '县教育局', town: null, title: '信访专干' },
];

/** The basics beside a few commands of other capabilities: one for staff only, one for all, one hidden. */
function router(): Router {
  const r = new Router(async (id) => USERS.find((u) => u.id === id) ?? null, createLogger('silent'));
  registerBasics(r);
  r.command({ names: ['登记'], help: '信访登记', roles: ['staff', 'admin'], group: '登记', example: '登记' }, () => []);
  r.command({ names: ['查询', '查案'], help: '按编号、姓名或身份证后四位查询案件', group: '案件', example: '查询 2026-000123' }, () => []);
  r.command({ names: ['确认'], help: '表单中确认', hidden: true }, () => []);
  return r;
}

const say = async (user: string, text: string): Promise<string> => {
  const out: Outgoing[] = await router().handle({ kind: 'message', userId: user, chatId: 'p2p_1', chatType: 'p2p', text });
  expect(out).toHaveLength(1);
  return out[0].type === 'text' ? out[0].text : JSON.stringify(out[0]);
};

describe('帮助', () => {
  test('staff see their role and every command they may use, by group, with examples; hidden ones are left out', async () => {
    expect(await say('ou_yan', '帮助')).toBe(
      '张晓燕，您好！您的角色是“登记员”，可以使用：\n\n' +
        '【通用】\n• **帮助** — 列出您可以使用的功能\n• **我是谁** — 查看您的身份、角色和所属单位\n\n' +
        '【登记】\n• **登记** — 信访登记（例：登记）\n\n' +
        '【案件】\n• **查询** — 按编号、姓名或身份证后四位查询案件（例：查询 2026-000123）',
    );
  });

  test('a unit user is not offered what only staff may do', async () => {
    const text = await say('ou_edu', 'help');
    expect(text.startsWith('周敏，您好！您的角色是“承办单位”，可以使用：')).toBe(true);
    expect(text).toContain('• **查询** — ');
    expect(text).not.toContain('登记');
    expect(text).not.toContain('确认');
  });
});

describe('我是谁', () => {
  test('a leader: name, role, post, town and user id', async () => {
    expect(await say('ou_li', '我是谁')).toBe('姓名：李建国\n角色：领导\n职务：副县长\n乡镇：阳城镇\n用户ID：ou_li');
  });

  test('a unit user: their unit; staff: no empty lines for what they do not have', async () => {
    expect(await say('ou_edu', 'whoami')).toBe('姓名：周敏\n角色：承办单位\n职务：信访专干\n单位：县教育局\n用户ID：ou_edu');
    expect(await say('ou_yan', '我是谁')).toBe('姓名：张晓燕\n角色：登记员\n用户ID：ou_yan');
  });
});
