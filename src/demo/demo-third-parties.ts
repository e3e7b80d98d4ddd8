import type { Core } from '../platform/core/feature';
import { RosterService, ThirdPartyService } from '../roster';

/** The demo county's 第三方力量: fictional people, fictional units, numbers that reach nobody. */
const PEOPLE = [
  { name: '张明远', kind: '律师', organisation: '正衡律师事务所', phone: '13900001001' },
  { name: '李书瑶', kind: '律师', organisation: '明法律师事务所', phone: '13900001002' },
  { name: '陈嘉树', kind: '律师', organisation: '正衡律师事务所', phone: '13900001003' },
  { name: '何静怡', kind: '心理咨询师', organisation: '县心理健康服务中心', phone: '13900001004' },
  { name: '罗清源', kind: '心理咨询师', organisation: '县心理健康服务中心', phone: '13900001005' },
  { name: '邓守仁', kind: '调解员', organisation: '县人民调解委员会', phone: '0763-6620101' },
];

/**
 * Registers the demo's lawyers, counsellors and a mediator before the plans are made, so the rules
 * file's "thirdParty" list (a lawyer and a counsellor at every county-centre session) books them.
 */
export async function seedDemoThirdParties(core: Core, roster: RosterService, now: Date): Promise<string> {
  const tp = new ThirdPartyService(core, roster.rules);
  for (const p of PEOPLE) await tp.register(p, 'demo', now);
  return `第三方名册：律师 3 人，心理咨询师 2 人，调解员 1 人（按规则排入县群众来访接待中心的每场接访）。`;
}
