import type { App } from '../../src/app';
import { seedDemoDisputes } from '../../src/demo/demo-disputes';
import { buildDemoCounty } from '../../src/demo/demo-county';
import { makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';

async function demoApp(now: Date): Promise<App> {
  const { db, url } = await freshDb(testDialects()[0]);
  const app = await makeTestApp({ db, url, now: () => now });
  const county = buildDemoCounty(app.core.reference());
  await app.core.users.insertMany(county.users, now);
  await app.core.chats.insertMany(county.chats, now);
  return app;
}

test('the demo county gets a realistic ledger: ~200 disputes, most resolved, some open, a few escalated into linked cases; reminders have work', async () => {
  const now = new Date('2026-11-30T02:30:00Z'); // Monday 10:30 in Shanghai
  const app = await demoApp(now);
  const counts = await seedDemoDisputes(app.core, { today: '2026-11-30' });
  const total = counts.open + counts.resolved + counts.escalated;
  expect(total).toBe(200);
  expect(counts.resolved / total).toBeGreaterThan(0.75);
  expect(counts.open).toBeGreaterThan(3);
  expect(counts.escalated).toBeGreaterThan(0);
  expect(counts.escalated).toBeLessThan(15);

  const escalated = await app.core.db('disputes').where({ status: 'escalated' });
  const cases = await app.core.db('cases').whereIn('case_no', escalated.map((d: any) => d.case_no));
  expect(cases).toHaveLength(escalated.length);
  expect(cases[0].content).toContain(escalated.find((d: any) => d.case_no === cases[0].case_no).dispute_no);

  // The same ledger every run.
  const again = await demoApp(now);
  expect(await seedDemoDisputes(again.core, { today: '2026-11-30' })).toEqual(counts);

  const ran = await app.jobs.find((j) => j.name === 'reminders')!.run(now);
  expect(ran).toContain('矛盾纠纷化解期限应提醒');
  expect(Number((await app.core.db('dispute_reminders').count('* as n').first())!.n)).toBeGreaterThan(0);
  await app.core.db.destroy();
  await again.core.db.destroy();
}, 60_000);
