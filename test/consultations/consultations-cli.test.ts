import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { xinfang } from '../helpers/cli';
import { testDialects } from '../helpers/db';

describe.each(testDialects())('xinfang consultations on $name', (dialect) => {
  let env: Record<string, string>;

  beforeEach(async () => {
    env = { DATABASE_URL: await dialect.freshUrl() };
    const db = await openDatabase(env.DATABASE_URL);
    const core = await openCore(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { db, logger: createLogger('silent'), migrate: true });
    await core.users.upsert({ id: 'staff-1', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
    await core.users.upsert({ id: 'staff-2', name: '吴倩', role: 'staff', unit: null, town: null, title: null });
    await core.users.upsert({ id: 'ld-wang', name: '王立新', role: 'leader', unit: null, town: null, title: '县委副书记' });
    await db.destroy();
  });

  const add = (extra: string[]) =>
    xinfang(['consultations', 'add', '--date', '2099-03-03', '--time', '下午', '--place', '县信访局三楼会议室', '--leaders', '王立新', '--by', 'staff-1', ...extra], env);

  test('add, move, cancel and list; a mistyped case number and a stranger’s change are refused in Chinese, exit 2', async () => {
    const typo = await add(['--case', '2026-00032']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('没有找到编号“2026-00032”的信访事项');
    expect(JSON.parse((await xinfang(['consultations', 'list', '--json'], env)).stdout)).toEqual([]);

    const made = await add(['--subject', '征地补偿标准争议', '--json']);
    expect(made.code).toBe(0);
    expect(JSON.parse(made.stdout)).toMatchObject({ no: 'HS2099-001', date: '2099-03-03', status: '待召开' });

    const stranger = await xinfang(['consultations', 'move', 'HS2099-001', '--date', '2099-03-05', '--time', '上午', '--by', 'staff-2'], env);
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toContain('只有组织人或管理员可以调整');

    const moved = await xinfang(['consultations', 'move', 'HS2099-001', '--date', '2099-03-05', '--time', '9:00-11:00', '--place', '县政府二楼会议室', '--by', 'staff-1', '--json'], env);
    expect(moved.code).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ date: '2099-03-05', place: '县政府二楼会议室', invitees: [{ name: '王立新（县委副书记）', reply: '未回复' }] });

    const cancelled = await xinfang(['consultations', 'cancel', 'HS2099-001', '改为书面会商', '--by', 'staff-1'], env);
    expect(cancelled.stdout).toContain('已取消 HS2099-001');
    const [row] = JSON.parse((await xinfang(['consultations', 'list', '--json'], env)).stdout);
    expect(row).toMatchObject({ no: 'HS2099-001', status: '已取消' });
    const again = await xinfang(['consultations', 'cancel', 'HS2099-001', '再取消', '--by', 'staff-1'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已经取消');
  });
});
