import type { Knex } from 'knex';
import { formatLetterNumber, takeLetterNumber } from '../../src/letters/letter-numbering';
import { freshDb, testDialects } from '../helpers/db';

test('a letter number reads prefix, 督 or 提, the year in 〔〕 and the sequence', () => {
  expect(formatLetterNumber('信访', '督办函', 2026, 3)).toBe('信访督〔2026〕3号');
  expect(formatLetterNumber('乳信', '提醒函', 2025, 12)).toBe('乳信提〔2025〕12号');
});

describe.each(testDialects())('letter numbers ($name)', (dialect) => {
  let db: Knex;
  beforeEach(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterEach(async () => {
    await db.destroy();
  });

  test('counted per type and per year; a rolled-back transaction uses no number', async () => {
    const take = (type: '督办函' | '提醒函', year: number) => db.transaction((trx) => takeLetterNumber(trx, '信访', type, year));
    expect(await take('督办函', 2025)).toEqual({ number: '信访督〔2025〕1号', seq: 1 });
    expect(await take('督办函', 2025)).toEqual({ number: '信访督〔2025〕2号', seq: 2 });
    expect(await take('提醒函', 2025)).toEqual({ number: '信访提〔2025〕1号', seq: 1 });
    expect(await take('督办函', 2026)).toEqual({ number: '信访督〔2026〕1号', seq: 1 });
    await expect(
      db.transaction(async (trx) => {
        await takeLetterNumber(trx, '信访', '督办函', 2025);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await take('督办函', 2025)).toEqual({ number: '信访督〔2025〕3号', seq: 3 });
  });
});
