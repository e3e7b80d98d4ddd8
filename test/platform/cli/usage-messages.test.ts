import { xinfang } from '../../helpers/cli';
import { chineseUsageMessage } from '../../../src/platform/cli/usage-messages';
import { tempSqliteUrl } from '../../helpers/db';

describe('commander usage errors reach the admin in Chinese', () => {
  test('each kind commander reports is said in Chinese, with the option or command it is about', () => {
    expect(chineseUsageMessage("error: required option '--id <id>' not specified\n")).toBe('缺少必填选项 --id <id>。用 --help 查看用法。\n');
    expect(chineseUsageMessage("error: option '--year <year>' argument missing\n")).toContain('选项 --year <year> 后面缺少取值');
    expect(chineseUsageMessage("error: unknown option '--yaer'\n(Did you mean --year?)")).toContain('是不是想用 --year');
    expect(chineseUsageMessage("error: unknown command 'dispute'")).toContain('不认识的命令 dispute');
    expect(chineseUsageMessage("error: too many arguments for 'show'. Expected 1 argument but got 2.")).toContain('参数过多：应为 1 个，实际 2 个');
    expect(chineseUsageMessage('error: something new')).toBe('用法有误：something new。用 --help 查看用法。\n');
  });

  test('a subcommand missing a required option answers in Chinese, exits 2 and saves nothing', async () => {
    const env = { DATABASE_URL: tempSqliteUrl() };
    expect((await xinfang(['migrate'], env)).code).toBe(0);
    for (const args of [['users', 'add', '--name', '张三'], ['disputes', 'add', '--town', '阳城镇'], ['report', 'annual', '--year', '2025'], ['third-party', 'add']]) {
      const r = await xinfang(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^缺少必填选项 --/);
      expect(r.stderr).not.toMatch(/required option|not specified/);
    }
    // reviews sample checks its own either-or options (--period or --cancel), also in Chinese.
    const sample = await xinfang(['reviews', 'sample'], env);
    expect(sample.code).toBe(2);
    expect(sample.stderr).toContain('请给出 --period');
    expect(JSON.parse((await xinfang(['users', 'list', '--json'], env)).stdout)).toEqual([]);
    expect(JSON.parse((await xinfang(['disputes', 'list', '--json'], env)).stdout)).toEqual([]);
  });
});
