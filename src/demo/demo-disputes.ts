import { addDays, IsoDate, shanghaiInstant } from '../platform/calendar/domain';
import { runTransaction } from '../platform/database/transaction';
import { dropOutboxAfter, lastOutboxId } from '../platform/outbox/outbox-store';
import type { Core } from '../platform/core/feature';
import { DisputeService, DisputeStatus } from '../disputes';

/**
 * The demo county's 矛盾纠纷排查化解台账: about 200 disputes found over the last year (as the
 * county report's “排查出各矛盾纠纷203件，成功化解196件，7件正在有序调处”), most resolved before
 * their target date, some in progress (a few past it, so the reminders have work), a few
 * escalated into cases through the ledger's own 转为信访事项. Deterministic: the same ledger every run.
 */
const SURNAMES = '陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖徐周叶苏'.split('');
const GIVEN = ['建华', '秀英', '国强', '丽娟', '志明', '春梅', '海涛', '玉兰', '永康', '桂芳', '伟东', '金凤'];
const KINDS: Array<{ category: string; summary: string; resolution: string }> = [
  { category: '自然资源', summary: '两户村民因宅基地边界发生争执，多次到村委会反映', resolution: '镇村两级现场勘界，双方签订调解协议，界桩已重新埋设' },
  { category: '劳动和社会保障', summary: '某工地拖欠务工人员工资，工人聚集讨薪', resolution: '劳动监察介入，施工方已足额支付拖欠工资' },
  { category: '农村农业', summary: '村民小组之间因山林承包经营权发生纠纷', resolution: '依据承包合同重新确认四至，双方息诉' },
  { category: '城乡建设', summary: '征地拆迁补偿标准存在争议，部分群众不满', resolution: '逐户解释补偿政策，按标准补足差额，群众表示满意' },
  { category: '房产物业', summary: '小区业主与物业公司因收费和维修问题产生矛盾', resolution: '住建部门组织协商，物业公司完成维修并公示收费' },
  { category: '生态环境', summary: '养殖场臭味扰民，周边群众意见较大', resolution: '养殖场完成粪污处理设施改造，经回访群众认可' },
  { category: '交通运输', summary: '村道建设占用农田，补偿未落实', resolution: '补偿款已发放到户，当事人签字确认' },
];
const SOURCES = ['群诉平台', '群诉平台', '群诉平台', '网格', '网格', '来访', '来电', '其他'];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Seeds the ledger; returns how many disputes by status. */
export async function seedDemoDisputes(core: Core, opts: { today: IsoDate; count?: number }): Promise<Record<DisputeStatus, number>> {
  const ref = core.reference();
  const towns = ref.towns.filter((t) => t !== '县直' && ref.units.includes(`${t}人民政府`));
  const rand = rng(20240203);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const clock = { t: core.now() };
  const service = new DisputeService({ ...core, now: () => clock.t });
  const counts: Record<DisputeStatus, number> = { open: 0, resolved: 0, escalated: 0 };
  // The office's lists (config/reference.json): the demo's picks where they are listed, else the list itself.
  const lists = service.lists();
  const within = (picks: readonly string[], list: readonly string[]) => (picks.some((p) => list.includes(p)) ? picks.filter((p) => list.includes(p)) : list);
  const sources = within(SOURCES, lists.sources);
  const risks = within(['高', '中', '中', '低', '低', '低'], lists.riskLevels);
  const screening = (i: number) => lists.screeningTypes[i % 5 === 0 && lists.screeningTypes.length > 1 ? 1 : 0];
  const toEscalate: Array<{ no: string; day: IsoDate }> = [];
  const count = opts.count ?? 200;
  const rows = Array.from({ length: count }, (_, i) => {
    const found = addDays(opts.today, -Math.floor(((count - i) / count) * 360));
    const kind = pick(KINDS);
    const town = pick(towns);
    const target = addDays(found, 15 + Math.floor(rand() * 45));
    const closeDay = addDays(found, 3 + Math.floor(rand() * Math.max(1, (target > opts.today ? 20 : 40))));
    const r = rand();
    let status: DisputeStatus = 'resolved';
    if (closeDay > opts.today || (target > opts.today && r < 0.35) || r < 0.02) status = 'open';
    else if (r > 0.975) status = 'escalated';
    const parties = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => ({
      name: pick(SURNAMES) + pick(GIVEN), idNumber: null, phone: rand() < 0.6 ? `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null,
    }));
    const unit = kind.category === '劳动和社会保障' && rand() < 0.5 ? '县人力资源和社会保障局' : `${town}人民政府`;
    return {
      found, target, closeDay, status, town, kind, parties, unit,
      screening: screening(i), source: pick(sources), risk: pick(risks),
    };
  });
  const outboxBefore = await lastOutboxId(core.db);
  await runTransaction(core.db, async (trx) => {
    for (const d of rows) {
      clock.t = shanghaiInstant(d.found, '10:00');
      const no = await service.store.nextNo(trx, Number(d.found.slice(0, 4)));
      const resolved = d.status === 'resolved';
      const id = await service.store.insert(trx, {
        no, screening: d.screening, source: d.source, foundDate: d.found, town: d.town, category: d.kind.category, summary: d.kind.summary,
        parties: d.parties, risk: d.risk, unit: ref.units.includes(d.unit) ? d.unit : `${d.town}人民政府`, owner: `${pick(SURNAMES)}某某`,
        targetDate: d.target, status: resolved ? 'resolved' : 'open', resolution: resolved ? d.kind.resolution : null,
        closedDate: resolved ? d.closeDay : null, registeredBy: 'staff1',
      }, clock.t);
      const events: Parameters<DisputeService['store']['addEvents']>[1] = [{ disputeId: id, action: 'register', fromStatus: null, toStatus: 'open', actorId: 'staff1', at: clock.t }];
      if (resolved) events.push({ disputeId: id, action: 'resolve', fromStatus: 'open', toStatus: 'resolved', actorId: 'staff1', at: shanghaiInstant(d.closeDay, '16:00') });
      await service.store.addEvents(trx, events);
      if (d.status === 'escalated') toEscalate.push({ no, day: d.closeDay });
      counts[d.status === 'escalated' ? 'escalated' : d.status]++;
    }
  });
  const staff = await core.users.get('staff1');
  for (const e of toEscalate) {
    clock.t = shanghaiInstant(e.day, '11:00');
    if (staff) {
      await service.escalate(e.no, staff);
    } else {
      counts.escalated--;
      counts.open++;
    }
  }
  // What the seeding caused is history, not news.
  await dropOutboxAfter(core.db, outboxBefore);
  return counts;
}
