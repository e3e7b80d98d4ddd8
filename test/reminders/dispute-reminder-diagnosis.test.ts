import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { DisputeService } from '../../src/disputes';
import { makeTestApp } from '../helpers/app';
import { xinfang } from '../helpers/cli';
import { freshDb, testDialects } from '../helpers/db';
import { at } from './fixtures';

describe.each(testDialects())('系统检查 of the disputes’ reminders ($name)', (dialect) => {
  let db: Knex;
  let url: string;
  let app: App;
  let clock: Date;

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    url = fresh.url;
    clock = at('2026-03-02', '10:00');
    app = await makeTestApp({ db, url, now: () => clock });
    await app.core.users.upsert({ id: 'staff1', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await app.core.chats.upsert({ id: 'oc_yc', name: '阳城镇政府群', unit: '阳城镇人民政府', role: null, venueId: null });
    const staff = (await app.core.users.get('staff1'))!;
    const add = (unit: string, targetDate: string) => new DisputeService(app.core).register({
      screening: '定期排查', source: '网格', town: '七拱镇', category: '自然资源', summary: '山林权属争议',
      parties: [{ name: '王五', idNumber: null, phone: null }], risk: '中', unit, owner: '张某某', targetDate,
    }, staff);
    await add('七拱镇人民政府', '2026-03-06'); // 排2026-0001: its unit has neither group nor user
    await add('阳城镇人民政府', '2026-03-04'); // 排2026-0002: its unit has a group
  });
  afterEach(async () => db.destroy());

  const diagnose = (now: Date) => app.features.find((f) => f.name === 'reminders')!.diagnose!(now);

  test('a responsible unit nobody stands for: an error without a bureau group, a warning with one; each with its fix', async () => {
    let findings = (await diagnose(at('2026-03-02', '10:00'))).filter((f) => f.area === '矛盾纠纷提醒');
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('error');
    expect(findings[0].problem).toContain('责任单位“七拱镇人民政府”有 1 件在办矛盾纠纷（排2026-0001）');
    expect(findings[0].problem).toContain('无人接收');
    expect(findings[0].fix).toContain('xinfang chats add --id <群的 chat_id> --unit 七拱镇人民政府');

    await app.core.chats.upsert({ id: 'oc_bureau', name: '信访局群', unit: null, role: 'bureau', venueId: null });
    findings = (await diagnose(at('2026-03-02', '10:00'))).filter((f) => f.area === '矛盾纠纷提醒');
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(findings[0].problem).toContain('只能发到信访局群');

    // A unit user is enough: the reminder goes to them.
    await app.core.users.upsert({ id: 'zf-qg', name: '七拱镇联系人', role: 'unit', unit: '七拱镇人民政府', town: null, title: null });
    expect((await diagnose(at('2026-03-02', '10:00'))).filter((f) => f.area === '矛盾纠纷提醒')).toEqual([]);
  });

  test('overdue past the director’s point with no director: said once, in the director finding; gone once a 局长 is registered', async () => {
    await app.core.users.upsert({ id: 'zf-qg', name: '七拱镇联系人', role: 'unit', unit: '七拱镇人民政府', town: null, title: null });
    // 9 March: 排2026-0002 (due 4 March) is 3 working days overdue, 排2026-0001 (due 6 March) only 1.
    const r = await xinfang(['doctor', '--now', '2026-03-09T10:00'], { DATABASE_URL: url });
    expect(r.stdout).toContain('另外，1 件矛盾纠纷已超过化解期限 3 个工作日以上（排2026-0002），按规定应报局领导，同样无人可报。');
    expect(r.stdout).not.toContain('排2026-0001');
    expect(r.stdout.match(/没有设置 DIRECTOR_USER_ID/g)).toHaveLength(1);
    // Before the point, nothing about disputes.
    expect((await xinfang(['doctor', '--now', '2026-03-05T10:00'], { DATABASE_URL: url })).stdout).not.toContain('矛盾纠纷');

    await app.core.users.upsert({ id: 'dir', name: '周建华', role: 'admin', unit: null, town: null, title: '局长' });
    expect((await xinfang(['doctor', '--now', '2026-03-09T10:00'], { DATABASE_URL: url })).stdout).not.toContain('矛盾纠纷');
  });
});
