import type { Knex } from 'knex';
import { insertCase } from '../reminders/fixtures';

/** A case concluded (answered) on `repliedDate`, handled by `unit` (null: the bureau itself). */
export async function concludedCase(db: Knex, caseNo: string, unit: string | null, repliedDate: string, name = '王小明'): Promise<number> {
  const id = await insertCase(db, { caseNo, unit, status: 'concluded', name, receivedDate: '2026-06-01' });
  await db('cases').where({ id }).update({ replied_date: repliedDate, accepted_date: '2026-06-05' });
  return id;
}

export const UNITS = { zr: '县自然资源局', zj: '县住房和城乡建设局', yc: '阳城镇人民政府' };

/**
 * 2026Q3: 6 cases of 县自然资源局, 3 of 县住房和城乡建设局, 1 of 阳城镇人民政府; one concluded in
 * October and one still being handled, which a Q3 sample never draws.
 */
export async function seedConcludedCases(db: Knex): Promise<void> {
  const plan: Array<[string, string]> = [
    ['2026-000101', UNITS.zr], ['2026-000102', UNITS.zr], ['2026-000103', UNITS.zr], ['2026-000104', UNITS.zr], ['2026-000105', UNITS.zr],
    ['2026-000106', UNITS.zr], ['2026-000201', UNITS.zj], ['2026-000202', UNITS.zj], ['2026-000203', UNITS.zj], ['2026-000301', UNITS.yc],
  ];
  let day = 1;
  for (const [no, unit] of plan) await concludedCase(db, no, unit, `2026-0${7 + (day % 3)}-${String(10 + (day++ % 15)).padStart(2, '0')}`, '黄丽娟');
  await concludedCase(db, '2026-000401', UNITS.zr, '2026-10-08');
  await insertCase(db, { caseNo: '2026-000501', unit: UNITS.zr, status: 'handling', receivedDate: '2026-08-01' });
}
