import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { xinfang } from './helpers/cli';
import { tempSqliteUrl } from './helpers/db';

describe('xinfang CLI', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };

  test('deadline prints the last day on line 1 and explains', async () => {
    const r = await xinfang(['deadline', '2025-09-20', '15'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('2025-10-09');
    expect(r.stdout).toContain('顺延');
  });

  test('deadline: an impossible date or a bad number of days exits 2 with a Chinese message', async () => {
    for (const args of [['2026-02-30', '15'], ['2026/03/01', '15'], ['2026-03-01', '0'], ['2026-03-01', '-5'], ['2026-03-01', 'abc']]) {
      const r = await xinfang(['deadline', ...args], env);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/无效/);
    }
  });

  test('deadline into a year without data warns on stderr that the answer is only an estimate', async () => {
    const r = await xinfang(['deadline', '2026-12-20', '15'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('2027-01-04');
    expect(r.stderr).toContain('2027');
    expect(r.stderr).toContain('仅按周末推算');
  });

  test('users add/list, with bad roles refused and nothing saved', async () => {
    expect((await xinfang(['users', 'add', '--id', 'ou_a', '--name', '王敏', '--role', 'staff'], env)).code).toBe(0);
    const bad = await xinfang(['users', 'add', '--id', 'ou_b', '--name', '赵强', '--role', 'boss'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('角色');
    const noUnit = await xinfang(['users', 'add', '--id', 'ou_c', '--name', '孙丽', '--role', 'unit'], env);
    expect(noUnit.code).toBe(2);
    const unknownUnit = await xinfang(['users', 'add', '--id', 'ou_d', '--name', '周琳', '--role', 'unit', '--unit', '火星局'], env);
    expect(unknownUnit.code).toBe(2);
    expect(unknownUnit.stderr).toContain('不在单位名录');
    const unknownTown = await xinfang(['users', 'add', '--id', 'ou_d', '--name', '周琳', '--role', 'staff', '--town', '火星镇'], env);
    expect(unknownTown.code).toBe(2);
    const list = await xinfang(['users', 'list', '--json'], env);
    expect(JSON.parse(list.stdout).map((u: { id: string }) => u.id)).toEqual(['ou_a']);
  });

  test('users add on an existing user keeps what it does not mention, and says when the role changes', async () => {
    await xinfang(['users', 'add', '--id', 'ld1', '--name', '钟砚秋', '--role', 'leader', '--town', '阳城镇', '--title', '副县长'], env);
    const demoted = await xinfang(['users', 'add', '--id', 'ld1', '--name', '钟砚秋', '--role', 'staff'], env);
    expect(demoted.code).toBe(0);
    expect(demoted.stderr).toContain('由“领导”改为“登记员”');
    await xinfang(['users', 'add', '--id', 'ld1', '--name', '钟砚秋', '--role', 'leader'], env);
    const users = JSON.parse((await xinfang(['users', 'list', '--json'], env)).stdout);
    expect(users.find((u: { id: string }) => u.id === 'ld1')).toMatchObject({ role: 'leader', town: '阳城镇', title: '副县长' });
  });

  test('holidays import makes a new year known; a bad file changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hol-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ years: [2027], holidays: ['2027-02-30'] }));
    const r1 = await xinfang(['holidays', 'import', bad], env);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('2027-02-30');
    expect((await xinfang(['holidays', 'list', '--year', '2027'], env)).code).toBe(3);

    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] }));
    expect((await xinfang(['holidays', 'import', good], env)).code).toBe(0);
    const list = await xinfang(['holidays', 'list', '--year', '2027'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('2027-01-01\t放假');
    // With 2027 known, the deadline no longer warns.
    const d = await xinfang(['deadline', '2026-12-20', '15'], env);
    expect(d.stderr).toBe('');
  });

  test('an unknown command exits 2', async () => {
    expect((await xinfang(['frobnicate'], env)).code).toBe(2);
  });
});
