import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { CaseService } from '../../src/cases/case-service';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';

const ID = '441823199001016012';
const PHONE = '13812345678';

describe('xinfang cases', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };
  let first = '';

  beforeAll(async () => {
    let clock = new Date('2026-03-02T02:00:00Z');
    const db = await openDatabase(env.DATABASE_URL);
    const core = await openCore(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), now: () => clock });
    await core.users.upsert({ id: 'xiaoyan', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    const svc = new CaseService(core);
    const base = {
      name: '陈秀梅', idNumber: ID, phone: PHONE, address: '阳城镇东街 8 号', headcount: 1, channel: '来访' as const, town: '阳城镇',
      category: '自然资源', purpose: null, content: `宅基地被占用，电话 ${PHONE}`, receivedAt: new Date('2026-03-02T02:00:00Z'), sessionId: null, registeredBy: 'xiaoyan',
    };
    first = (await svc.register(base)).record.caseNo;
    const second = await svc.register({ ...base, headcount: 7, receivedAt: new Date('2026-03-02T03:00:00Z') });
    clock = new Date('2026-03-03T02:00:00Z'); // 交办 the next day
    await svc.transition(second.record.caseNo, { action: 'assign', unit: '县自然资源局' }, { id: 'xiaoyan', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await db.destroy();
  });

  test('list prints every case, newest first, with the ID masked', async () => {
    const r = await xinfang(['cases', 'list'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^2026-000002\t已交办\t陈秀梅\t441823\*{8}6012\t阳城镇/);
    expect(lines[0]).toContain('集体访');
    expect(lines[1]).toMatch(/^2026-000001\t已登记/);
    expect(lines[1]).toContain('受理/交办期限 2026-03-17');
    expect(r.stdout).not.toContain(ID);
    expect(r.stdout).not.toContain(PHONE);
  });

  test('list --status takes the code or the label; --json is masked', async () => {
    const byCode = await xinfang(['cases', 'list', '--status', 'assigned', '--json'], env);
    expect(byCode.code).toBe(0);
    const rows = JSON.parse(byCode.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ caseNo: '2026-000002', status: 'assigned', idNumber: '441823********6012', phone: '138****5678', unit: '县自然资源局', isGroup: true });
    expect(rows[0].nextDeadline).toMatchObject({ kind: 'acceptance_notice', dueDate: '2026-03-18' });
    const byLabel = await xinfang(['cases', 'list', '--status', '已登记', '--json'], env);
    expect(JSON.parse(byLabel.stdout).map((x: { caseNo: string }) => x.caseNo)).toEqual(['2026-000001']);
    expect(byLabel.stdout).not.toContain(ID);
  });

  test('a bad status exits 2 with the choices in Chinese', async () => {
    const r = await xinfang(['cases', 'list', '--status', 'done'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('状态“done”无效');
    expect(r.stderr).toContain('handling（办理中）');
  });

  test('show --json: number, status, deadlines, masked ID and phone, links, audit trail', async () => {
    const r = await xinfang(['cases', 'show', '2026-000002', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(ID);
    expect(r.stdout).not.toContain(PHONE);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ caseNo: '2026-000002', status: 'assigned', statusLabel: '已交办', idNumber: '441823********6012', phone: '138****5678', unit: '县自然资源局' });
    expect(j.content).toContain('138****5678');
    expect(j.deadlines.map((d: { kind: string; status: string; dueDate: string }) => [d.kind, d.status, d.dueDate])).toEqual([
      ['decision', 'met', '2026-03-17'],
      ['acceptance_notice', 'open', '2026-03-18'],
    ]);
    expect(j.links).toEqual([{ caseNo: first, status: 'registered', receivedDate: '2026-03-02', reason: 'id_number' }]);
    expect(j.audit.map((e: { action: string; actorName: string }) => [e.action, e.actorName])).toEqual([['register', '张晓燕'], ['assign', '张晓燕']]);
  });

  test('show in text, and the short number form', async () => {
    const r = await xinfang(['cases', 'show', '2026-1'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2026-000001  已登记');
    expect(r.stdout).toContain('441823********6012');
    // Dates as people write them; only --json keeps ISO.
    expect(r.stdout).toContain('受理/交办期限\t2026年3月17日（周二）\t进行中');
    expect(r.stdout).toContain('关联案件');
    expect(r.stdout).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(r.stdout).not.toContain(ID);
    // The audit trail reads as sentences, in Shanghai time, like everything else a person sees.
    expect(r.stdout).toContain('2026年3月2日（周一）10:00，张晓燕登记了案件，状态为“已登记”。');
  });

  test('an unknown or malformed number exits 2', async () => {
    const unknown = await xinfang(['cases', 'show', '2026-999999'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('没有编号为 2026-999999 的案件');
    const bad = await xinfang(['cases', 'show', 'abc'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('无效');
  });
});
