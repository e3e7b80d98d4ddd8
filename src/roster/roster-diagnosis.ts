import type { Core, Finding } from '../platform/core/feature';
import type { LeaderStore } from './leader-store';

/** At most this many names in one finding. */
const SHOWN = 8;

function some(names: string[]): string {
  return names.length > SHOWN ? `${names.slice(0, SHOWN).join('、')}等 ${names.length} 位` : names.join('、');
}

/**
 * `xinfang doctor`: the active leaders the bot cannot reach. A leader's id is his user id and, in
 * Lark, the open_id his briefings go to: one not registered as a user is refused in chat
 * (我的接访, 调整接访); with Lark on, one that is not an open_id (ou_…) gets no briefing.
 */
export async function diagnoseRoster(core: Core, leaders: LeaderStore): Promise<Finding[]> {
  const active = await leaders.listLeaders({ activeOnly: true });
  const users = await core.users.getMany(active.map((l) => l.id));
  const label = (l: { id: string; name: string }) => `${l.name}（${l.id}）`;
  const out: Finding[] = [];
  const unknown = active.filter((l) => !users.has(l.id));
  if (unknown.length) {
    out.push({
      area: '接访领导',
      severity: 'error',
      problem: `${unknown.length} 位接访领导没有登记为用户：${some(unknown.map(label))}。他们在聊天中查不了“我的接访”，也不能申请调整接访。`,
      fix: '逐位登记：xinfang users add --id <与接访领导相同的编号，即其飞书 open_id> --name <姓名> --role leader --title <职务>。',
      chatFix: '请系统管理员把这些领导逐位登记为用户（用其飞书账号，与接访领导名单中的编号相同）。',
    });
  }
  if (core.config.larkEnabled) {
    const notOpenId = active.filter((l) => !l.id.startsWith('ou_'));
    if (notOpenId.length) {
      out.push({
        area: '接访领导',
        severity: 'error',
        problem: `${notOpenId.length} 位接访领导的编号不是飞书 open_id（ou_ 开头）：${some(notOpenId.map(label))}。接访提示卡发往这些编号，飞书会拒收。`,
        fix: '在接访领导名单中把他们的编号改为飞书 open_id（可在飞书管理后台或通过通讯录接口查到），并用同一 open_id 登记用户。',
      });
    }
  }
  return out;
}
