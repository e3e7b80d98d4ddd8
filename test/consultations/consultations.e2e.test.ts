import type { App } from '../../src/app';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

const at = (iso: string) => new Date(`${iso}+08:00`);

describe.each(testDialects())('会商 typed in chat on $name', (dialect) => {
  let app: App;
  const clock = at('2026-12-02T09:00:00');
  const saved = async () => ({
    meetings: (await app.core.db('consultations')).length,
    invitees: (await app.core.db('consultation_invitees')).length,
  });

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock });
    await addUser(app, 'xiaoyan', 'staff', { name: '张晓燕' });
    await addUser(app, 'lingdao', 'leader', { name: '王建国' });
    await addUser(app, 'ziranju', 'unit', { name: '李明', unit: '县自然资源局' });
  });
  afterAll(async () => { await app.core.db.destroy(); });

  it('refuses an unknown case number in Chinese and saves nothing', async () => {
    const r = readable(await say(app, 'xiaoyan', '会商 2026-000999 12月8日 下午 地点：三楼会议室 领导：王建国 单位：县自然资源局'));
    expect(r).toContain('没有找到编号“2026-000999”的信访事项');
    expect(r).toMatch(/[\u4e00-\u9fa5]/);
    expect(r).not.toMatch(/SQL|Error|undefined/);
    expect(await saved()).toEqual({ meetings: 0, invitees: 0 });
  });

  it('refuses a unit user typing 会商 and saves nothing', async () => {
    const r = readable(await say(app, 'ziranju', '会商 某征地纠纷 12月8日 下午 地点：三楼会议室 领导：王建国 单位：县自然资源局'));
    expect(r).toMatch(/[\u4e00-\u9fa5]/);
    expect(r).not.toMatch(/SQL|Error|undefined/);
    expect(await saved()).toEqual({ meetings: 0, invitees: 0 });
  });
});
