import { shanghaiDate } from '../calendar/domain';
import type { Core, Finding } from '../core/feature';

/** At most this many names in one finding; the rest are counted. */
export const NAMES_SHOWN = 8;

/** '甲、乙、丙' or '甲、乙……等 12 个'. */
export function someOf(names: string[], unit = '个'): string {
  const shown = names.slice(0, NAMES_SHOWN).join('、');
  return names.length > NAMES_SHOWN ? `${shown}等 ${names.length} ${unit}` : shown;
}

/**
 * The legal calendar's years: this year's holidays missing (deadlines and plans counted from
 * weekends alone), and from 1 November on next year's, which the State Council usually announces
 * in November. Pure over the calendar in force; `doctor-weekly` posts these to the admins.
 */
export function holidayFindings(core: Pick<Core, 'calendar'>, now: Date): Finding[] {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const out: Finding[] = [];
  if (!core.calendar.calendar.isKnown(`${year}-01-01`)) {
    out.push({
      area: '节假日',
      severity: 'error',
      problem: `今年（${year} 年）的节假日安排没有导入：办理期限、提醒和接访计划都按周末推算并标为“暂定”，遇到法定节假日和调休会算错。`,
      fix: `按国务院办公厅 ${year} 年部分节假日安排的通知写成节假日文件（格式见 README“法定日历”），运行 xinfang holidays import 文件 导入（可先加 --dry-run 预览）。`,
      chatFix: `请系统管理员按国务院办公厅 ${year} 年部分节假日安排的通知，在服务器上导入今年的节假日安排。`,
    });
  }
  if (today.slice(5) >= '11-01' && !core.calendar.calendar.isKnown(`${year + 1}-01-01`)) {
    out.push({
      area: '节假日',
      severity: 'error',
      problem:
        `明年（${year + 1} 年）的节假日安排尚未导入：跨入 ${year + 1} 年的办理期限和接访计划暂按周末推算（暂定），` +
        '元旦、春节前后的期限、提醒和接访日可能不准。',
      fix:
        `国务院办公厅的通知一般在 11 月发布；发布后写成节假日文件，运行 xinfang holidays import 文件 导入（可先加 --dry-run 预览）。` +
        '导入之前，每周一会提醒管理员一次。',
      chatFix:
        `国务院办公厅的通知一般在 11 月发布；发布后请系统管理员在服务器上导入 ${year + 1} 年的节假日安排。` +
        '导入之前，每周一会提醒管理员一次。',
    });
  }
  return out;
}

/** Units of the reference lists with no group chat, and no bureau group to fall back on. */
export async function chatFindings(core: Pick<Core, 'chats' | 'users' | 'reference'>): Promise<Finding[]> {
  const chats = await core.chats.list();
  const out: Finding[] = [];
  if (!chats.some((c) => c.role === 'bureau')) {
    out.push({
      area: '群聊',
      severity: 'error',
      problem: '没有登记信访局群：期限日报和月度统计不会发送，承办单位既无群又无联络员时期限提醒无人可发。',
      fix: '把机器人拉进信访局工作群，然后运行 xinfang chats add --id <群的 chat_id> --role bureau。',
      chatFix: '把信访助手拉进信访局工作群，再请系统管理员在服务器上把该群登记为信访局群。',
    });
  }
  const withChat = new Set(chats.map((c) => c.unit).filter((u): u is string => Boolean(u)));
  const missing = core.reference().units.filter((u) => !withChat.has(u));
  if (missing.length) {
    const users = await core.users.list();
    const withContact = new Set(users.filter((u) => u.role === 'unit' && u.unit).map((u) => u.unit));
    const nobody = missing.filter((u) => !withContact.has(u));
    out.push({
      area: '群聊',
      severity: nobody.length ? 'error' : 'warning',
      problem:
        `${missing.length} 个承办单位没有登记群聊：${someOf(missing)}。交办通知和期限提醒只能发给其联络员个人` +
        (nobody.length ? `；其中 ${someOf(nobody)} 连联络员也没有，只能发到信访局群由人工转告。` : '。'),
      fix: '把机器人拉进该单位的信访工作群，然后运行 xinfang chats add --id <群的 chat_id> --unit <单位名称>。',
      chatFix: '请各单位把信访助手拉进本单位的信访工作群，再请系统管理员在服务器上把该群登记到对应单位。',
    });
  }
  return out;
}
