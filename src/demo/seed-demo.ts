import { runTransaction } from '../platform/database/transaction';
import { addDays, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { RosterService } from '../roster';
import { buildDemoCounty, demoUnavailability } from './demo-county';
import { seedDemoCases } from './demo-cases';
import { seedDemoDisputes } from './demo-disputes';
import { seedDemoThirdParties } from './demo-third-parties';

export interface DemoReport {
  lines: string[];
  warnings: string[];
}

/** A small, stable number from a string, so the demo's made-up figures are the same every run. */
function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Seeds an empty database with the fictional demo county: users, leaders, venues, groups,
 * absences, this year's plan (past days held, with outcomes) and next year's, then the cases.
 * Refuses a database that already has users.
 */
export async function seedDemo(core: Core, opts: { today?: IsoDate } = {}): Promise<DemoReport> {
  const existing = await core.users.list();
  if (existing.length) {
    throw new UserError(`数据库中已有 ${existing.length} 个用户，示例数据只能写入空数据库。请换一个 DATABASE_URL（如 sqlite:data/demo.sqlite）再运行 xinfang demo。`, 'not_empty');
  }
  const now = core.now();
  const today = opts.today ?? shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const ref = core.reference();
  const county = buildDemoCounty(ref);
  const roster = new RosterService(core);

  await runTransaction(core.db, async (trx) => {
    await core.users.insertMany(county.users, now, trx);
    for (const v of county.venues) await roster.store.leaders.upsertVenue(v, trx);
    for (const l of county.leaders) await roster.store.leaders.upsertLeader(l, trx);
    await core.chats.insertMany(county.chats, now, trx);
    for (const u of demoUnavailability(today)) await roster.store.leaders.addUnavailability(u, now, trx);
  });

  const lines: string[] = [];
  const warnings: string[] = [];
  const countyLeaders = county.leaders.filter((l) => l.level === 'county').length;
  lines.push(
    `示例县已建立：县领导 ${countyLeaders} 位，乡镇领导 ${county.leaders.length - countyLeaders} 位（${county.venues.length - 1} 个乡镇），` +
      `接访地点 ${county.venues.length} 个，用户 ${county.users.length} 个，群 ${county.chats.length} 个。`,
  );

  lines.push(await seedDemoThirdParties(core, roster, now));
  const thisYear = await roster.plans.generate(year, { includePast: true, by: 'demo' }, now);
  const held = await markPastHeld(core, roster, today, now);
  lines.push(`${year} 年接访下访计划：${thisYear.placed} 场（今天以前的 ${held} 场记为已接访）。`);

  const next = year + 1;
  const known = core.calendar.calendar.isKnown(`${next}-01-01`);
  const nextYear = await roster.plans.generate(next, { allowProvisional: !known, includePast: true, by: 'demo' }, now);
  lines.push(`${next} 年接访下访计划：${nextYear.placed} 场${known ? '' : '（暂定）'}。`);
  if (!known) {
    warnings.push(
      `没有 ${next} 年的节假日安排数据（国务院办公厅通知通常在 11 月发布），${next} 年计划暂按周末排定，并避开了元旦、劳动节、国庆节的固定假日；` +
        `春节、清明、端午、中秋和调休尚未知。导入该年安排（xinfang holidays import，可先加 --dry-run 看会改什么）时，遇新假日的接访会自动改期、办理期限会重新计算，并标为正式。`,
    );
  }
  await demoChanges(core, roster, today, now);

  const cases = await seedDemoCases(core, { today });
  lines.push(`信访件：${cases} 件。`);
  const disputes = await seedDemoDisputes(core, { today });
  lines.push(`矛盾纠纷排查台账：${disputes.open + disputes.resolved + disputes.escalated} 件（已化解 ${disputes.resolved}、在办 ${disputes.open}、转入信访事项 ${disputes.escalated}）。`);
  lines.push(
    '试试：npm start，打开 http://localhost:3000/console，选择用户 admin（管理员）、staff1（登记员）、county01（县委书记）、' +
      'yangcheng1（阳城镇党委书记）或 zf-yangcheng（阳城镇人民政府），发送“帮助”“今日接访”“我的接访”；公开安排见 http://localhost:3000/schedule',
  );
  return { lines, warnings };
}

/** Past sessions of the demo were held: made-up, stable figures. */
async function markPastHeld(core: Core, roster: RosterService, today: IsoDate, now: Date): Promise<number> {
  const past = await roster.store.sessions.listSessions({ to: addDays(today, -1) });
  const groups = new Map<string, number[]>();
  for (const s of past) {
    const h = hash(s.uid);
    const batches = 1 + (h % 4);
    const persons = batches + ((h >>> 3) % 5);
    const k = `${batches}:${persons}`;
    groups.set(k, [...(groups.get(k) ?? []), s.id]);
  }
  await runTransaction(core.db, async (trx) => {
    for (const [k, ids] of groups) {
      const [batches, persons] = k.split(':').map(Number);
      const outcome = {
        batches, persons, caseNos: [], note: '群众反映问题已现场答复或登记交办', recordedBy: 'staff1', recordedAt: now.toISOString(),
      };
      await roster.store.sessions.markHeld(trx, ids, outcome, now);
    }
  });
  return past.length;
}

/** A cancelled session and a pending request, so 接访审批 and the public page show them. */
async function demoChanges(core: Core, roster: RosterService, today: IsoDate, now: Date): Promise<void> {
  const admin = (await core.users.get('admin'))!;
  const soon = await roster.store.sessions.listSessions({ from: addDays(today, 3), to: addDays(today, 30) });
  const toCancel = soon.find((s) => s.venueKind === 'town' && s.leaders[0]?.level === 'town');
  if (toCancel) await roster.changes.cancel(admin, toCancel.id, '当天镇里召开防汛工作会议，本场取消，下周照常', now);
  const center = soon.filter((s) => s.venueKind === 'center' && s.id !== toCancel?.id);
  for (let i = 0; i + 1 < center.length; i++) {
    const a = center[i];
    const b = center.find((x) => x.date !== a.date && !x.leaders.some((l) => a.leaders.some((m) => m.id === l.id)));
    if (!b) continue;
    const leader = await core.users.get(a.leaders[0].id);
    if (!leader) continue;
    try {
      await roster.changes.requestSwap(leader, a.id, b.id, '当天需陪同省督导组检查', now);
      return;
    } catch {
      // That pair clashes with something; try the next one.
    }
  }
}
