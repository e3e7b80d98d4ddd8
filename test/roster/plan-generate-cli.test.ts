import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Core } from '../../src/platform/core/feature';
import { generateFromCli } from '../../src/roster/plan-generate-cli';
import { RosterService } from '../../src/roster/roster-service';
import { xinfang } from '../helpers/cli';
import { freshDb, tempSqliteUrl, testDialects } from '../helpers/db';
import { seedMiniCounty, testCore } from './fixtures';
import { calendarWith, holidayFileOf } from './holiday-fixture';

// The CLI runs on the real clock, so these plan next year, which is always ahead.
const YEAR = new Date().getFullYear() + 1;

describe('xinfang plan generate --replace', () => {
  const env = { DATABASE_URL: tempSqliteUrl() };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-replace-'));
  const list = async () => JSON.parse((await xinfang(['plan', 'list', '--year', String(YEAR), '--json'], env)).stdout);
  let tty: boolean | undefined;

  beforeAll(async () => {
    // As a script runs it: no terminal to ask on.
    tty = process.stdin.isTTY;
    (process.stdin as { isTTY?: boolean }).isTTY = false;
    const add = (args: string[]) => xinfang(['plan', 'leader', 'add', ...args], env);
    expect((await add(['--id', 'ld1', '--name', '林启航', '--level', 'county', '--title', '县委书记', '--order', '1'])).code).toBe(0);
    expect((await add(['--id', 'ld2', '--name', '周庭远', '--level', 'county', '--title', '县长', '--order', '2'])).code).toBe(0);
    expect((await add(['--id', 'yc1', '--name', '黎嘉禾', '--level', 'town', '--title', '阳城镇党委书记', '--towns', '阳城镇'])).code).toBe(0);
    expect((await add(['--id', 'yc2', '--name', '严子衿', '--level', 'town', '--title', '阳城镇镇长', '--towns', '阳城镇'])).code).toBe(0);
    const probe = await xinfang(['plan', 'generate', '--year', String(YEAR)], env);
    if (probe.code === 3) expect((await xinfang(['plan', 'generate', '--year', String(YEAR), '--provisional'], env)).code).toBe(0);
    else expect(probe.code).toBe(0);
    const file = path.join(dir, `holidays-${YEAR}.json`);
    fs.writeFileSync(file, JSON.stringify(holidayFileOf(YEAR)));
    const imported = await xinfang(['holidays', 'import', file], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('接访安排');
  });
  afterAll(() => {
    (process.stdin as { isTTY?: boolean }).isTTY = tty;
  });

  test('the import already moved what it had to: --replace finds nothing to do and asks nothing', async () => {
    const before = await list();
    const r = await xinfang(['plan', 'generate', '--year', String(YEAR), '--replace'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('现有安排已与规则一致，场次无需改动');
    expect(await list()).toEqual(before);
  });

  test('without --yes and without a terminal: prints what it would do, refuses in Chinese, saves nothing', async () => {
    // A new town leader: the rules now ask for more sessions.
    const add = ['plan', 'leader', 'add', '--id', 'yc3', '--name', '何景澄', '--level', 'town', '--title', '阳城镇副镇长', '--towns', '阳城镇'];
    expect((await xinfang(add, env)).code).toBe(0);
    const before = await list();
    const r = await xinfang(['plan', 'generate', '--year', String(YEAR), '--replace'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`重新生成 ${YEAR} 年接访下访计划将：新增 \\d+ 场，保留不变 \\d+ 场，改期或调整 \\d+ 场，取消 \\d+ 场`));
    expect(r.stderr).toContain('未确认，没有改动任何安排');
    expect(r.stderr).toContain(`xinfang plan generate --year ${YEAR} --replace --yes`);
    expect(await list()).toEqual(before);
  });

  test('with --yes: reconciles and prints the figures; the sessions keep their numbers and UIDs', async () => {
    const before = await list();
    const r = await xinfang(['plan', 'generate', '--year', String(YEAR), '--replace', '--yes'], env);
    expect(r.code).toBe(0);
    const m = /已重新生成 \d+ 年接访下访计划：新增 (\d+) 场，保留不变 (\d+) 场，改期或调整 (\d+) 场，取消 (\d+) 场/.exec(r.stdout)!;
    expect(m).not.toBeNull();
    const [added, kept, moved, cancelled] = m.slice(1).map(Number);
    const after = await list();
    expect(after.length).toBe(before.length + added);
    const live = before.filter((s: any) => s.status !== 'cancelled');
    expect(kept + moved + cancelled).toBe(live.length);
    const byId = new Map(before.map((s: any) => [s.id, s]));
    for (const s of after) if (byId.has(s.id)) expect(s.uid).toBe((byId.get(s.id) as any).uid);
    // Run again: nothing left to change, and it says so without asking.
    const again = await xinfang(['plan', 'generate', '--year', String(YEAR), '--replace'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('新增 0 场');
    expect(again.stdout).toContain('现有安排已与规则一致，场次无需改动');
    expect(await list()).toEqual(after);
  });
});

describe.each(testDialects())('the question on a terminal ($name)', (dialect) => {
  let core: Core;
  let roster: RosterService;
  const clock = { now: new Date('2026-12-02T02:00:00Z') };
  const out = { text: '', out: (s: string) => { out.text += s; }, err: (s: string) => { out.text += s; }, setExitCode: () => undefined };
  const answering = (a: string) => Object.assign(new PassThrough(), { isTTY: true }).end(`${a}\n`) as PassThrough & { isTTY: boolean };

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    core = await testCore(db, url, clock);
    await seedMiniCounty(core);
    roster = new RosterService(core);
    await roster.plans.generate(2027, { allowProvisional: true });
    // The service now sees the 2027 holidays (as after an import that did not move anything).
    const known = calendarWith(holidayFileOf(2027));
    Object.defineProperty(core.calendar, 'calendar', { get: () => known });
  });
  afterAll(async () => {
    await core.db.destroy();
  });

  test('no saves nothing; y saves, moving the sessions on the new rest days', async () => {
    const before = await roster.store.sessions.listSessions({ year: 2027, includeCancelled: true });
    out.text = '';
    await generateFromCli(roster, 2027, { replace: true }, { input: answering('n') }, out);
    expect(out.text).toContain('确认重新生成？(y/N)');
    expect(out.text).toContain('已放弃，没有改动任何安排');
    expect(await roster.store.sessions.listSessions({ year: 2027, includeCancelled: true })).toEqual(before);

    out.text = '';
    await generateFromCli(roster, 2027, { replace: true }, { input: answering('y') }, out);
    expect(out.text).toContain('已重新生成 2027 年接访下访计划');
    const after = await roster.store.sessions.listSessions({ year: 2027, includeCancelled: true });
    expect(after.map((s) => s.uid).sort()).toEqual(before.map((s) => s.uid).sort());
    const moved = after.filter((s) => s.status === 'changed');
    expect(moved.length).toBeGreaterThan(10);
    for (const s of moved) {
      expect(s.sequence).toBe(1);
      const was = before.find((b) => b.id === s.id)!;
      expect(calendarWith(holidayFileOf(2027)).isWorkingDay(was.date)).toBe(false);
    }
  });
});
