import { Command, CommanderError } from 'commander';
import type { Knex } from 'knex';
import type { CalendarChange, Core, Feature } from '../../../src/platform/core/feature';
import { HolidayStore } from '../../../src/platform/calendar/holiday-store';
import { registerCalendarCli } from '../../../src/platform/cli/calendar-cli';
import { CliUsageError } from '../../../src/platform/errors/cli-usage-error';
import { xinfang } from '../../helpers/cli';
import { freshDb, tempSqliteUrl, testDialects } from '../../helpers/db';
import { calendarCore, fakeDeadlineFeature, FILE_2027, holidayFile, setStoredDeadline, storedDeadline } from './calendar-fixtures';

/** `xinfang …` with the calendar commands over the given core and features, as src/cli.ts runs them. */
async function run(args: string[], core: Core, features: Feature[]) {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io = { out: (s: string) => { stdout += s; }, err: (s: string) => { stderr += s; }, setExitCode: (c: number) => { code = c; } };
  const program = new Command('xinfang').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerCalendarCli(() => features)(program, async () => core, io);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CliUsageError) {
      stderr += `${e.message}\n`;
      code = e.exitCode;
    } else if (e instanceof CommanderError) {
      code = 2;
    } else {
      throw e;
    }
  }
  return { code, stdout, stderr };
}

const ENGLISH = /Invalid|expected|received|Unrecognized|Unexpected|JSON at/;

describe('xinfang holidays import', () => {
  let db: Knex;
  let core: Core;
  let seen: CalendarChange[];
  let features: Feature[];
  const years = () => new HolidayStore(db).years();

  beforeEach(async () => {
    const fresh = await freshDb(testDialects()[0]);
    db = fresh.db;
    core = await calendarCore(db, fresh.url);
    await setStoredDeadline(db, '2027-01-04');
    seen = [];
    features = [fakeDeadlineFeature(seen)];
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('prints what the file declared, how the calendar changed, then each feature\'s section, then that it is saved', async () => {
    const file = holidayFile(FILE_2027);
    const r = await run(['holidays', 'import', file], core, features);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`节假日文件 ${file}：放假 9 天、调休上班 1 天，共 10 天；全年安排：2027 年。`);
    expect(lines).toContain('2027 年的节假日安排由“未录入”变为正式，按该年推算的日期不再是暂定。');
    expect(lines).toContain('与现行日历相比，8 天的工作日/休息日变了：');
    expect(lines).toContain('  2027-01-01 改为休息日（元旦）');
    expect(lines).toContain('  2027-02-08—2027-02-12 改为休息日（春节）');
    expect(lines).toContain('  2027-02-14 改为工作日（调休上班）');
    const at = lines.indexOf('【办理期限】');
    expect(lines.slice(at, at + 3)).toEqual(['【办理期限】', '  检查 1 个期限，改动 1 个', '  2026-000001 办理期限 2027-01-04 → 2027-01-05（法定休假日顺延）']);
    expect(lines.at(-1)).toBe('已导入 10 天，2027 年的全年安排已生效。运行中的服务将在 30 秒内自动改用新日历，无需重启。');
    expect(await storedDeadline(db)).toBe('2027-01-05');
    expect(await years()).toEqual([2027]);
  });

  test('the same file a second time: nothing changed, and the report says so (0 moved)', async () => {
    const file = holidayFile(FILE_2027);
    await run(['holidays', 'import', file], core, features);
    const again = await run(['holidays', 'import', file], core, features);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('与现行日历相比没有变化（0 天），已存的期限和接访安排都不需要调整。');
    expect(again.stdout).toContain('检查 1 个期限，改动 0 个');
    expect(again.stdout).not.toContain('→');
  });

  test('--dry-run prints the same report, says nothing was saved, and nothing was', async () => {
    const file = holidayFile(FILE_2027);
    const dry = await run(['holidays', 'import', file, '--dry-run'], core, features);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('2026-000001 办理期限 2027-01-04 → 2027-01-05');
    expect(dry.stdout.trimEnd().split('\n').at(-1)).toBe('试运行（--dry-run）：以上是导入后将发生的变化，没有保存任何内容。确认无误后去掉 --dry-run 再运行一次。');
    expect(seen[0].dryRun).toBe(true);
    expect(await years()).toEqual([]);
    expect(await storedDeadline(db)).toBe('2027-01-04');
    expect(await db('outbox').count({ n: '*' }).first()).toEqual({ n: 0 });
    const real = await run(['holidays', 'import', file], core, features);
    const body = (s: string) => s.trimEnd().split('\n').slice(0, -1).join('\n');
    expect(body(real.stdout)).toBe(body(dry.stdout));
  });

  test('--json gives the same report as data', async () => {
    const r = await run(['holidays', 'import', holidayFile(FILE_2027), '--json', '--dry-run'], core, features);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      dryRun: true, declared: { days: 10, holidays: 9, workdays: 1, years: [2027] }, newlyKnownYears: [2027],
      sections: [{ feature: 'fake-deadlines', title: '办理期限', counts: { checked: 1, moved: 1, madeFinal: 1 } }],
    });
    expect(j.changedDays).toHaveLength(365);
  });

  test('a file saved with a UTF-8 byte order mark imports like any other', async () => {
    const r = await run(['holidays', 'import', holidayFile(`\uFEFF${JSON.stringify(FILE_2027)}`)], core, features);
    expect(r.code).toBe(0);
    expect(await years()).toEqual([2027]);
  });

  test('a year more than two years ahead asks for --force (exit 2, nothing saved, no feature called); --force imports it', async () => {
    const file = holidayFile({ years: [2029], holidays: [{ date: '2029-01-01', name: '元旦' }] });
    const r = await run(['holidays', 'import', file], core, features);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('文件涉及 2029 年，比今年（2026 年）晚了两年以上');
    expect(r.stderr).toContain('确认文件无误，请加 --force 再导入。没有保存任何内容。');
    expect(seen).toEqual([]);
    expect(await years()).toEqual([]);

    const forced = await run(['holidays', 'import', file, '--force'], core, features);
    expect(forced.code).toBe(0);
    expect(await years()).toEqual([2029]);
  });

  test('more than 60 days off in a year asks for --force', async () => {
    const days = Array.from({ length: 61 }, (_, i) => new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10));
    const file = holidayFile({ holidays: days });
    const r = await run(['holidays', 'import', file], core, features);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2027 年列了 61 天放假日，超过 60 天');
    expect(await new HolidayStore(db).overrides()).toEqual([]);
    expect((await run(['holidays', 'import', file, '--force'], core, features)).code).toBe(0);
    expect(await new HolidayStore(db).overrides()).toHaveLength(61);
  });

  test('files that are not right: exit 2, a Chinese message naming the file and the place, nothing saved', async () => {
    const cases: Array<[string, RegExp]> = [
      [holidayFile({ years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }, { date: 20270102 }] }, 'h.json'), /^h\.json：节假日文件格式不对：holidays（放假日） 第 2 项的 date：应为文字/],
      [holidayFile('{"years": [2027], "holidays": ["2027-01-01",]}', 'h.json'), /^h\.json：节假日文件不是合法的 JSON（第 1 行第 \d+ 列附近）/],
      [holidayFile({ years: [], holidays: [], workdays: [] }, 'empty.json'), /^empty\.json：文件中没有列出任何日期/],
      [holidayFile([{ date: '2027-01-01' }], 'list.json'), /^list\.json：节假日文件格式不对：整个文件应为一个对象/],
      ['/nonexistent/holidays.json', /^找不到文件：\/nonexistent\/holidays\.json/],
    ];
    for (const [file, expected] of cases) {
      const r = await run(['holidays', 'import', file], core, features);
      expect([file, r.code]).toEqual([file, 2]);
      expect([file, r.stderr]).toEqual([file, expect.stringMatching(expected)]);
      expect(r.stderr).not.toMatch(ENGLISH);
      expect(r.stderr.trimEnd().endsWith('没有保存任何内容。') || r.stderr.startsWith('找不到文件')).toBe(true);
    }
    expect(seen).toEqual([]);
    expect(await years()).toEqual([]);
  });
});

describe('xinfang holidays import, the whole program with every capability', () => {
  test('--dry-run over the real features saves nothing; the import then makes the year known', async () => {
    const env = { DATABASE_URL: tempSqliteUrl() };
    const file = holidayFile({ years: [2027], holidays: [{ date: '2027-01-01', name: '元旦' }] });
    const dry = await xinfang(['holidays', 'import', file, '--dry-run'], env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('没有保存任何内容');
    expect((await xinfang(['holidays', 'list', '--year', '2027'], env)).code).toBe(3);
    const real = await xinfang(['holidays', 'import', file], env);
    expect(real.code).toBe(0);
    expect(real.stdout).toContain('已导入 1 天，2027 年的全年安排已生效');
    expect((await xinfang(['holidays', 'list', '--year', '2027'], env)).stdout).toContain('2027-01-01\t放假');
  });
});
