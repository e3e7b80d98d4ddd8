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
  const out: Finding[] = [];
  const leaders = [...dims.leaders.values()].filter((l) => !has.has(`leader:${l.id}`));
  if (leaders.length) {
    out.push({
      area: '日历订阅',
      severity: 'warning',
      problem: `${leaders.length} 位接访领导还没有日历订阅链接：${some(leaders.map((l) => l.name), '位')}。他们的接访日不会出现在手机日历里。`,
      fix: '请领导在飞书中向机器人发送“我的日历”，或由管理员运行 xinfang feeds token create --kind leader --subject <领导编号> 并把链接转给本人。',
    });
  }
  const venues = [...dims.venues.values()].filter((v) => !has.has(`venue:${v.id}`));
  if (venues.length) {
    out.push({
      area: '日历订阅',
      severity: 'warning',
      problem: `${venues.length} 个接访地点还没有日历订阅链接：${some(venues.map((v) => v.name), '个')}。接访点工作人员看不到日历中的安排。`,
      fix: '运行 xinfang feeds token create --kind venue --subject <地点编号>，把链接发到该接访点的工作群。',
    });
  }
  return out;
}
