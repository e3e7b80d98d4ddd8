import type { Finding } from '../platform/core/feature';
import type { FeedService } from './feed-service';

const SHOWN = 8;

function some(names: string[], unit: string): string {
  return names.length > SHOWN ? `${names.slice(0, SHOWN).join('、')}等 ${names.length} ${unit}` : names.join('、');
}

/**
 * `xinfang doctor`: private feeds nobody can open. A leader's or a venue's calendar exists only
 * behind a token; without one, the reception days never reach that calendar. (The public feed
 * needs none.)
 */
export async function diagnoseFeeds(service: FeedService): Promise<Finding[]> {
  const [dims, tokens] = await Promise.all([service.roster.dimensions(), service.tokens.list()]);
  const has = new Set(tokens.map((t) => `${t.kind}:${t.subject}`));
  const missing = (
    kind: string, list: Array<{ id: string; name: string }>, unit: string, what: string, tail: string, fix: string, chatFix: string,
  ): Finding[] => {
    const without = list.filter((x) => !has.has(`${kind}:${x.id}`));
    if (!without.length) return [];
    return [{ area: '日历订阅', severity: 'warning', problem: `${without.length} ${unit}${what}还没有日历订阅链接：${some(without.map((x) => x.name), unit)}。${tail}`, fix, chatFix }];
  };
  const out: Finding[] = [
    ...missing('leader', [...dims.leaders.values()], '位', '接访领导', '他们的接访日不会出现在手机日历里。',
      '请领导在飞书中向机器人发送“我的日历”，或由管理员运行 xinfang feeds token create --kind leader --subject <领导编号> 并把链接转给本人。',
      '请领导在飞书中向信访助手发送“我的日历”，取得本人的日历订阅链接。'),
    ...missing('venue', [...dims.venues.values()], '个', '接访地点', '接访点工作人员看不到日历中的安排。',
      '运行 xinfang feeds token create --kind venue --subject <地点编号>，把链接发到该接访点的工作群。',
      '请系统管理员在服务器上为这些接访点生成日历订阅链接，并把链接发到该接访点的工作群。'),
  ];
  return out;
}
