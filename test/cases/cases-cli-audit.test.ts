import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { toDbTime } from '../../src/platform/database/time';
import type { User } from '../../src/platform/directory/user-store';
import { CaseService } from '../../src/cases/case-service';
import { LetterCaseQueries } from '../../src/cases/queries/letter-cases';
import { LetterFlagQueries } from '../../src/cases/queries/letter-flags';
import { DeadlineRecomputeStore } from '../../src/cases/deadline-recompute-store';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';

const PHONE = '13812345678';

/** Every kind of entry a case's audit trail holds, as `cases show` prints it. */
describe('xinfang cases show: the audit trail in Chinese', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };
  let no = '';

  beforeAll(async () => {
    let clock = new Date('2026-03-02T02:00:00Z'); // Mon 10:00 in Shanghai
    const db = await openDatabase(env.DATABASE_URL);
    const core = await openCore(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), now: () => clock });
    const staff: User = { id: 'xiaoyan', name: '张晓燕', role: 'staff', unit: null, town: null, title: null };
    const unit: User = { id: 'unit-zr', name: '李建国', role: 'unit', unit: '县自然资源局', town: null, title: null };
    const leader: User = { id: 'leader-li', name: '黄振华', role: 'leader', unit: null, town: '阳城镇', title: '县委副书记' };
    for (const u of [staff, unit, leader]) await core.users.upsert(u);
    const svc = new CaseService(core);
    const { record } = await svc.register({
      name: '陈秀梅', idNumber: null, phone: PHONE, address: null, headcount: 1, channel: '来访', town: '阳城镇', category: '自然资源',
      purpose: null, content: '宅基地被占用', receivedAt: clock, sessionId: null, registeredBy: 'xiaoyan',
    });
    no = record.caseNo;
    const step = async (u: User, cmd: Parameters<CaseService['transition']>[1]) => {
      clock = new Date(clock.getTime() + 3600_000);
      await svc.transition(no, cmd, u);
    };
    await step(staff, { action: 'assign', unit: '县自然资源局' });
    await step(unit, { action: 'unitReturn', reason: `不属本单位职责，联系 ${PHONE}` });
    await step(staff, { action: 'assign', unit: '县自然资源局' });
    await step(unit, { action: 'unitAccept' });
    await step(unit, { action: 'extend', days: 30, reason: '需现场勘测' });
    await step(unit, { action: 'progress', note: '已约谈双方' });
    await step(staff, { action: 'own', leaderId: 'leader-li' });
    await step(leader, { action: 'supervise', note: '月底前办结' });
    await db.transaction(async (trx) => {
      await new LetterFlagQueries(db).flagForLetter(
        trx, [{ caseId: record.id, caseStatus: 'handling', kind: 'conclusion', dueDate: '2026-03-20', overdueWorkingDays: 3, reason: '逾期 3 个工作日，建议发督办函' }], clock,
      );
      await new LetterCaseQueries(db).logLetter(
        trx,
        { caseId: record.id, caseStatus: 'handling', actorId: 'xiaoyan', reason: '督办函 乳信督〔2026〕1号', data: { type: '督办函', number: '乳信督〔2026〕1号', kind: 'conclusion', dueDate: '2026-03-20', unit: '县自然资源局' } },
        clock,
      );
      await new DeadlineRecomputeStore().addMovedEvents(
        trx, [{ caseId: record.id, caseStatus: 'handling', kind: 'conclusion', from: '2026-05-01', to: '2026-05-06', reason: '办结期限：5月1日为法定节假日' }], clock,
      );
      await trx('case_events').insert({
        case_id: record.id, action: 'some_future_action', from_status: 'handling', to_status: 'handling', actor_id: 'xiaoyan', reason: null, data: null, at: toDbTime(clock),
      });
    });
    await step(unit, { action: 'conclude', summary: '已协调退还' });
    await db.destroy();
  });

  test('--json: every entry keeps its fields and gains a Chinese label', async () => {
    const r = await xinfang(['cases', 'show', no, '--json'], env);
    expect(r.code).toBe(0);
    const audit = JSON.parse(r.stdout).audit as Array<{ action: string; actor: string; label: string; from: string | null; at: string }>;
    expect(audit.map((e) => e.action)).toEqual([
      'register', 'assign', 'unitReturn', 'assign', 'unitAccept', 'extend', 'progress', 'own', 'supervise',
      'flag_letter', 'letter', 'deadline_moved', 'some_future_action', 'conclude',
    ]);
    for (const e of audit) {
      expect(e.label).toMatch(/^2026年3月2日（周一）\d\d:\d\d，/);
      expect(e.label).not.toMatch(/[A-Za-z_]/);
      expect(e.at).toBeTruthy();
    }
    const label = (action: string) => audit.find((e) => e.action === action)!.label;
    expect(audit[0].label).toBe('2026年3月2日（周一）10:00，张晓燕登记了案件，状态为“已登记”。');
    expect(label('unitReturn')).toBe('2026年3月2日（周一）12:00，李建国把案件从县自然资源局退回信访局，状态由“已交办”变为“已登记”，理由：不属本单位职责，联系 138****5678。');
    expect(label('own')).toContain('张晓燕确定包案领导为黄振华');
    expect(label('supervise')).toContain('黄振华挂牌督办，督办要求：月底前办结');
    expect(label('flag_letter')).toContain('系统提示需发督办函：办结期限（2026年3月20日（周五）到期）已逾期 3 个工作日');
    expect(label('letter')).toContain('张晓燕向县自然资源局发出督办函 乳信督〔2026〕1号');
    expect(label('deadline_moved')).toContain('系统因节假日安排调整，把办结期限从2026年5月1日（周五）改为2026年5月6日（周三），原因：5月1日为法定节假日');
    expect(label('some_future_action')).toContain('张晓燕进行了一项其他办理操作');
    expect(r.stdout).not.toContain(PHONE);
  });

  test('text: 办理记录 reads as one sentence per entry', async () => {
    const r = await xinfang(['cases', 'show', no], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const start = lines.indexOf('办理记录：');
    const trail = lines.slice(start + 1).filter(Boolean);
    expect(trail).toHaveLength(14);
    expect(trail[0]).toBe('  2026年3月2日（周一）10:00，张晓燕登记了案件，状态为“已登记”。');
    expect(trail[4]).toBe('  2026年3月2日（周一）14:00，李建国受理了交办的案件，状态由“已交办”变为“办理中”。');
    expect(trail[5]).toContain('李建国延长办结期限 30 日，理由：需现场勘测');
    expect(trail.at(-1)).toContain('办结并答复信访人，状态由“办理中”变为“已办结”，答复摘要：已协调退还');
    for (const l of trail) expect(l).not.toMatch(/[A-Za-z_]/);
    expect(r.stdout).not.toContain('flag_letter');
    expect(r.stdout).not.toContain(PHONE);
  });
});
