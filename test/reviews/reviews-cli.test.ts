import type { Knex } from 'knex';
import { openDatabase } from '../../src/platform/database/connection';
import { migrateLatest } from '../../src/platform/database/migrate';
import { xinfang } from '../helpers/cli';
import { tempSqliteUrl } from '../helpers/db';
import { seedConcludedCases } from './fixtures';

describe('xinfang reviews', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };
  let db: Knex;
  beforeAll(async () => {
    db = await openDatabase(env.DATABASE_URL);
    await migrateLatest(db);
    await seedConcludedCases(db);
    await db('users').insert({ id: 'xiaoyan', name: '张晓燕', role: 'staff', created_at: '2026-01-01 00:00:00.000', updated_at: '2026-01-01 00:00:00.000' });
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('sample --share with a seed, then record --ok and --problems; list shows the figures', async () => {
    const s = await xinfang(['reviews', 'sample', '--period', '2026Q3', '--share', '0.3', '--seed', 'cli-1', '--by', 'xiaoyan', '--json'], env);
    expect(s.code).toBe(0);
    const drawn = JSON.parse(s.stdout);
    expect(drawn.seed).toBe('cli-1');
    expect(drawn.reviews).toHaveLength(3);
    expect(new Set(drawn.reviews.map((r: any) => r.unit))).toEqual(new Set(['县自然资源局', '县住房和城乡建设局', '阳城镇人民政府']));

    const ok = await xinfang(['reviews', 'record', drawn.reviews[0].caseNo, '--ok', '--by', 'xiaoyan'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('规范');
    const bad = await xinfang(['reviews', 'record', drawn.reviews[1].no, '--problems', '答复不规范,超期办结', '--note', '答复书未写明复查途径'], env);
    expect(bad.code).toBe(0);
    expect(bad.stdout).toContain('待整改\t答复不规范、超期办结');
    expect(bad.stderr).toContain('还没有登记工作群'); // no group registered for the unit in this database

    const list = JSON.parse((await xinfang(['reviews', 'list', '--json'], env)).stdout);
    expect(list.figures).toMatchObject({ reviewed: 2, withProblems: 1, problems: 2, fixed: 0 });
  });

  test('mistakes exit 2 with a Chinese message and change nothing', async () => {
    const before = await db('reviews').count({ n: '*' });
    const cases: Array<[string[], string]> = [
      [['reviews', 'sample', '--period', '2026Q3'], '请给出 --count N 或 --share 0.1 之一'],
      [['reviews', 'sample', '--period', '2026Q3', '--count', '50'], '不足 50 件'],
      [['reviews', 'sample', '--period', '某时', '--count', '1'], '时间段“某时”无效'],
      [['reviews', 'record', '2026-000105', '--problems', '态度差'], '不认识的问题：态度差'],
      [['reviews', 'record', '2026-000105', '--ok', '--problems', '超期受理'], '请给出 --ok 或 --problems'],
      [['reviews', 'record', '2026-000501', '--ok'], '尚未办结'],
    ];
    for (const [args, message] of cases) {
      const r = await xinfang(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(await db('reviews').count({ n: '*' })).toEqual(before);
  });
});
