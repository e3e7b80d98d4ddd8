import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { shanghaiInstant } from '../../src/platform/calendar/domain';
import { PROVISIONAL_NOTE } from '../../src/cases/domain/case-deadlines';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';
import { addCase, handling, HOLIDAYS_2027 } from './holiday-import-fixtures';

describe('xinfang holidays import, as the admin sees it in the cases', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };

  beforeAll(async () => {
    const db = await openDatabase(env.DATABASE_URL);
    const core = await openCore(loadConfig({ ...env, LOG_LEVEL: 'silent' }), {
      db, logger: createLogger('silent'), now: () => shanghaiInstant('2026-11-20', '10:00'), migrate: true,
    });
    await addCase(core, '2026-000101', handling('2026-11-02'));
    await db.destroy();
  });

  const MOVE = '2026-000101 办结期限 2027-01-01 → 2027-01-04（1月1日为元旦假日，顺延至1月4日）';

  test('--dry-run lists the move and saves nothing; the import moves it and the case history says why', async () => {
    const dry = await xinfang(['holidays', 'import', HOLIDAYS_2027, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('办理期限');
    expect(dry.stdout).toContain(MOVE);
    let show = await xinfang(['cases', 'show', '2026-000101'], env);
    expect(show.stdout).toContain('办结期限\t2027年1月1日（周五）\t进行中');
    expect(show.stdout).toContain(PROVISIONAL_NOTE);

    const real = await xinfang(['holidays', 'import', HOLIDAYS_2027], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(MOVE);
    expect(real.stdout).toContain('期限提醒');
    show = await xinfang(['cases', 'show', '2026-000101'], env);
    expect(show.stdout).toContain('办结期限\t2027年1月4日（周一）\t进行中');
    expect(show.stdout).not.toContain(PROVISIONAL_NOTE);
    expect(show.stdout).toMatch(/，系统因节假日安排调整，把办结期限从2027年1月1日（周五）改为2027年1月4日（周一），原因：2027 年节假日安排导入：1月1日为元旦假日，顺延至1月4日。/);

    const json = JSON.parse((await xinfang(['cases', 'show', '2026-000101', '--json'], env)).stdout);
    expect(json.audit.at(-1)).toMatchObject({ action: 'deadline_moved', actor: 'system', reason: '2027 年节假日安排导入：1月1日为元旦假日，顺延至1月4日' });
  });
});
