import type { Knex } from 'knex';
import { openDatabase } from '../../../src/platform/database/connection';
import { describeDatabaseError, isDbUnavailable } from '../../../src/platform/database/database-error';
import { xinfang } from '../../helpers/cli';
import { testDialects } from '../../helpers/db';

const caught = async (f: () => Promise<unknown>): Promise<unknown> => {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('no error');
};

describe.each(testDialects())('database errors as a person reads them ($name)', (dialect) => {
  let db: Knex;
  beforeAll(async () => {
    db = await openDatabase(await dialect.freshUrl());
    await db.schema.createTable('people', (t) => {
      t.increments('id');
      t.string('id_number', 18).unique();
      t.string('name', 8).notNullable();
    });
    await db('people').insert({ id_number: '441823199001016012', name: '王某' });
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('a repeated key: one Chinese line, without the statement or the value (an ID number)', async () => {
    const e = await caught(() => db('people').insert({ id_number: '441823199001016012', name: '李某' }));
    const line = describeDatabaseError(e)!;
    expect(line).toBe('数据库拒绝保存：与已有的记录重复。本次操作没有完成（同一事务中的改动已撤销）。需要详情时加 LOG_LEVEL=debug 再运行一次。');
    expect(String((e as Error).message)).toContain('insert into');
  });

  test('a table that is not there: run migrate', async () => {
    expect(describeDatabaseError(await caught(() => db('nowhere').select())))
      .toBe('数据库的表结构不是最新的：请先运行 xinfang migrate，再重试。');
  });

  test('a missing value: the column named', async () => {
    const line = describeDatabaseError(await caught(() => db('people').insert({ id_number: '1', name: null })))!;
    expect(line).toMatch(/^数据库拒绝保存：字段 name 不能为空。/);
  });

  test('an error that is not the database’s is left to the caller', () => {
    expect(describeDatabaseError(new Error('文件不存在'))).toBeNull();
    expect(describeDatabaseError(null)).toBeNull();
  });
});

describe('database errors in the CLI', () => {
  test('a value too long for its column (MySQL’s refusal): the column named, no statement', () => {
    const e = Object.assign(new Error(`update \`sessions\` set \`accompany_units\` = '${'["县'.repeat(1000)}' - Data too long for column 'accompany_units' at row 1`), {
      code: 'ER_DATA_TOO_LONG', errno: 1406, sqlMessage: "Data too long for column 'accompany_units' at row 1", sql: 'update `sessions` set …',
    });
    expect(describeDatabaseError(e)).toBe('数据库拒绝保存：字段 accompany_units 的内容超过了长度上限。本次操作没有完成（同一事务中的改动已撤销）。需要详情时加 LOG_LEVEL=debug 再运行一次。');
  });

  test('a database that does not answer: 出错了 and one Chinese line with what to check, exit 1', async () => {
    const r = await xinfang(['users', 'list'], { DATABASE_URL: 'mysql://root@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('出错了：数据库无法连接（ECONNREFUSED）：请检查 DATABASE_URL 的设置和数据库服务是否在运行。\n');
    expect(isDbUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
