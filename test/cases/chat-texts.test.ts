import { NO_LEADERS_REPLY } from '../../src/cases/case-commands';
import { noGroupWarning } from '../../src/cases/case-notifications';
import { buildActionForm, buildCaseCard, CaseCardData } from '../../src/cases/case-cards';
import { anonymousRefusal, unreachableNote } from '../../src/cases/domain/anonymous-petition';
import { Actor, permissionError } from '../../src/cases/domain/case-access';
import { CASE_ACTIONS } from '../../src/cases/domain/case-lifecycle';
import { CASE_WORDS, commandFromWords, splitCaseArgs, usageLine } from '../../src/cases/domain/case-words';
import { readable } from '../helpers/app';

/**
 * Guard: what the case capability says in chat never names the command line (`xinfang …`, a
 * `--flag`) or a config file: a person in chat can do nothing with those. Each builder of a chat
 * text is listed here with the inputs that reach its every branch.
 */
const CLI_TALK = /xinfang |(?:^|[\s（(“])--[a-z]|config\/|\.json/;

const NO = '2026-000322';
const unit: Actor = { id: 'u1', role: 'unit', unit: '县自然资源局', towns: [] };
const leader: Actor = { id: 'l1', role: 'leader', unit: null, towns: ['阳城镇'] };
const scope = { caseNo: NO, town: '阳城镇', unit: '县自然资源局', leaderId: null };

function chatTexts(): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['包案 without leaders', NO_LEADERS_REPLY],
    ['交办 to a unit without a group, to its people', noGroupWarning('县自然资源局', 3)],
    ['交办 to a unit without a group or people', noGroupWarning('县自然资源局', 0)],
    ['an unreachable petitioner', unreachableNote({ name: '匿名' })],
  ];
  for (const a of CASE_ACTIONS) {
    for (const [who, actor] of [['unit', unit], ['leader', leader]] as const) {
      const refusal = permissionError(actor, scope, a);
      if (refusal) out.push([`${a} refused to a ${who}`, refusal]);
    }
    out.push([`usage of ${a}`, usageLine(a, NO)]);
    const r = commandFromWords(a, NO, '', { units: [], leaders: [] });
    if (!r.ok) out.push([`${a} without its input`, r.error]);
    for (const unreachable of [false, true]) {
      const form = buildActionForm(a, NO, { units: [], leaders: [], unreachable });
      if (form) out.push([`the form of ${a}`, readable([{ type: 'card', card: form }])]);
    }
  }
  for (const w of CASE_WORDS) {
    for (const args of ['', '情况怎么样']) {
      const s = splitCaseArgs(w, args);
      if (!s.ok) out.push([`${w.names[0]} ${args}`, s.error]);
    }
  }
  for (const channel of ['来访', '领导接访']) {
    for (const name of ['匿名', '陈秀梅']) {
      const r = anonymousRefusal({ name, idNumber: null, phone: null, channel });
      if (r) out.push([`anonymous at a ${channel}`, r.reason]);
    }
  }
  const anonymous: CaseCardData = {
    caseNo: NO, name: '匿名', idNumber: null, phone: null, address: null, headcount: 1, isGroup: false, channel: '来信', town: '阳城镇',
    category: '自然资源', purpose: null, content: '宅基地被占用', receivedAt: new Date('2026-03-02T01:00:00Z'), unit: '县自然资源局',
    transferTo: null, supervised: false, extensionDays: null, replySummary: null, decisionReason: null, status: 'assigned', statusLabel: '已交办',
    anonymous: true,
  };
  out.push(['the card of an unreachable petitioner', readable([{ type: 'card', card: buildCaseCard(anonymous, { deadlines: [] }) }])]);
  return out;
}

test.each(chatTexts())('%s: no command line in chat', (_what, t) => {
  expect(t).not.toMatch(CLI_TALK);
});

test('the list covers the texts that used to name the command line', () => {
  const all = chatTexts().map(([, t]) => t).join('\n');
  expect(all).toContain('请联系管理员先登记领导');
  expect(all).toContain('请管理员把信访助手拉进县自然资源局的信访工作群');
});

test('an unreachable petitioner’s card says so once, and no notice or reply is asked for', () => {
  const [, seen] = chatTexts().find(([w]) => w === 'the card of an unreachable petitioner')!;
  expect(seen.split('无法联系：无须书面告知或答复信访人').length - 1).toBe(1);
  expect(seen).toContain('【匿名或身份不明（无法联系的不设告知期限）】');
});
