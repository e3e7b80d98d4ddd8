import type { Knex } from 'knex';
import { toDbTime } from '../../src/platform/database/time';
import { earlierCasesFor } from '../../src/intake/petition-repeats';
import { freshDb, testDialects } from '../helpers/db';

const NOW = new Date('2026-03-10T06:20:00.000Z');
const ROAD = '阳城镇新村村口道路坑洼积水，雨天无法通行，要求修缮排水沟。';
const ROAD_AGAIN = '新村村口的道路坑洼不平，一下雨就积水无法通行，请求尽快修缮排水沟';

/** The earlier cases a petition would be linked to, read from the database before 确认. */
describe.each(testDialects())('earlier cases before 确认 on $name', (dialect) => {
  let db: Knex;
  let n = 0;
  const add = async (c: { town?: string; category?: string; content: string; received?: string; idNumber?: string | null; status?: string }) => {
    n++;
    const received = c.received ?? '2026-03-02';
    const t = toDbTime(new Date(`${received}T02:00:00Z`));
    const caseNo = `2026-${String(n).padStart(6, '0')}`;
    await db('cases').insert({
      case_no: caseNo, year: Number(received.slice(0, 4)), status: c.status ?? 'handling', name: '黄某', id_number: c.idNumber ?? null,
      phone: null, headcount: 1, is_group: false, channel: '来访', town: c.town ?? '阳城镇', category: c.category ?? '城乡建设', content: c.content,
      received_at: t, received_date: received, registered_by: 'staff1', created_at: t, updated_at: t,
    });
    return caseNo;
  };
  const anonymousLetter = (over: Record<string, unknown> = {}) =>
    ({ name: '匿名', headcount: 1, channel: '来信', town: '阳城镇', category: '城乡建设', content: ROAD_AGAIN, ...over });

  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('an anonymous letter finds the similar case of the same town or the same category within a year, not older or unrelated ones', async () => {
    const sameTown = await add({ content: ROAD, category: '交通运输' });
    const sameCategory = await add({ content: ROAD, town: '太平镇', received: '2026-01-05' });
    await add({ content: ROAD, town: '太平镇', category: '交通运输' }); // neither town nor category
    await add({ content: ROAD, received: '2025-03-01' }); // more than a year before
    await add({ content: '小区物业乱收费，要求退还多收的物业费。' });
    const found = await earlierCasesFor(db, anonymousLetter(), NOW);
    expect(found!.map((f) => [f.record.caseNo, f.reason])).toEqual([[sameTown, 'content'], [sameCategory, 'content']]);
    expect(found![0].record.statusLabel).toBe('办理中');
  });

  test('an identified petitioner is matched by ID number, not by content', async () => {
    const id = '441823199001016015';
    const mine = await add({ content: '另一件事：拖欠工资。', idNumber: id });
    const found = await earlierCasesFor(db, { ...anonymousLetter(), name: '黄某', idNumber: id, channel: '来访' }, NOW);
    expect(found!.map((f) => [f.record.caseNo, f.reason])).toEqual([[mine, 'id_number']]);
  });

  test('nothing is looked up until the answers allow a match', async () => {
    expect(await earlierCasesFor(db, anonymousLetter({ content: undefined }), NOW)).toBeNull();
    expect(await earlierCasesFor(db, { name: '黄某', idNumber: '441823199001016015', town: '阳城镇', content: ROAD }, NOW)).toBeNull();
  });
});
