import { CASE_STATUSES } from '../../src/cases/domain/case-status';
import { seedDemoCases } from '../../src/demo/demo-cases';
import { loadReferenceData } from '../../src/platform/settings/reference-data';
import { addUser, makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

test('the demo cases cover every state, with deadlines before, around and after today, and repeat petitioners', async () => {
  const { db, url } = await freshDb(testDialects()[0]);
  const today = '2026-11-27';
  const app = await makeTestApp({ db, url, now: () => new Date('2026-11-27T02:00:00Z') });
  await addUser(app, 'admin', 'admin');
  await addUser(app, 'staff1', 'staff');
  await addUser(app, 'leader1', 'leader', { title: '副县长' });
  for (const [i, unit] of loadReferenceData('config/reference.json').units.entries()) await addUser(app, `u${i}`, 'unit', { unit });

  const made = await seedDemoCases(app.core, { today, count: 260 });
  expect(made).toBe(260);

  const byStatus = new Map((await db('cases').select('status').count('* as n').groupBy('status')).map((r: any) => [r.status, Number(r.n)]));
  for (const s of CASE_STATUSES) expect([s, (byStatus.get(s) ?? 0) > 0]).toEqual([s, true]);

  const open = await db('case_deadlines').where({ status: 'open' }).select('due_date');
  const due = open.map((r: any) => r.due_date as string);
  expect(due.some((d) => d < today)).toBe(true); // overdue
  expect(due.some((d) => d >= today && d <= '2026-12-02')).toBe(true); // due within days
  expect(due.some((d) => d > '2026-12-31')).toBe(true); // reaching into 2027
  expect(Number((await db('case_links').count('* as n').first())?.n)).toBeGreaterThan(0);
  // The seeding's own notifications are history and are not sent.
  expect(Number((await db('outbox').count('* as n').first())?.n)).toBe(0);
  await db.destroy();
}, 120_000);
