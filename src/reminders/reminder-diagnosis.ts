import type { Core, Finding } from '../platform/core/feature';
import { findDirector } from './domain/escalation';
import { reminderPolicy } from './reminder-service';

/**
 * `xinfang doctor`: who the escalation "to the director" reaches, found exactly as the scan finds
 * it (findDirector over every user and DIRECTOR_USER_ID). Nobody: a case without a 包案 leader
 * that goes overdue is escalated to no one, silently.
 */
export async function diagnoseReminders(core: Core): Promise<Finding[]> {
  const users = await core.users.list();
  const configured = core.config.DIRECTOR_USER_ID;
  const director = findDirector(users, configured);
  const after = reminderPolicy(core.config).leaderAfter;
  if (!director) {
    return [{
      area: '期限提醒',
      severity: 'error',
      problem:
        `逾期 ${after} 个工作日的信访件要报包案领导，没有包案领导的报局长；但没有设置 DIRECTOR_USER_ID，也没有职务含“局长”的管理员，` +
        '这些升级提醒无人接收。',
      fix: '在设置（.env）中加 DIRECTOR_USER_ID=<局长的用户ID>，或登记局长：xinfang users add --id <局长的飞书 open_id> --name <姓名> --role admin --title 局长。',
      chatFix: '请系统管理员登记局长（用局长的飞书账号，职务写“局长”），或在设置中指定局长的用户ID。',
    }];
  }
  if (configured && !users.some((u) => u.id === configured)) {
    return [{
      area: '期限提醒',
      severity: core.config.larkEnabled && !configured.startsWith('ou_') ? 'error' : 'warning',
      problem: `DIRECTOR_USER_ID=${configured} 不是已登记的用户：逾期升级提醒照发这个 ID，但无法确认它是局长本人的飞书账号。`,
      fix: `用 xinfang users add --id ${configured} --name <姓名> --role admin --title 局长 登记局长，或把 DIRECTOR_USER_ID 改为已登记的局长的用户ID。`,
      chatFix: '请系统管理员把局长登记为用户（职务写“局长”），或把设置中的局长用户ID改为已登记的局长。',
    }];
  }
  if (core.config.larkEnabled && !director.id.startsWith('ou_')) {
    return [{
      area: '期限提醒',
      severity: 'error',
      problem: `逾期升级提醒发给局长 ${director.name}（用户ID ${director.id}），但这不是飞书 open_id（ou_ 开头），飞书会拒收。`,
      fix: '用局长的飞书 open_id 重新登记：xinfang users add --id <ou_…> --name <姓名> --role admin --title 局长，并删改 DIRECTOR_USER_ID。',
      chatFix: '请系统管理员用局长的飞书账号（open_id）重新登记局长，并相应修改设置中的局长用户ID。',
    }];
  }
  return [];
}
