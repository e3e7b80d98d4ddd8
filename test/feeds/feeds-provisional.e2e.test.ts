import ICAL from 'ical.js';
import request from 'supertest';
import { HolidayStore } from '../../src/platform/calendar/holiday-store';
import { FeedTokenStore } from '../../src/feeds/feed-token-store';
import { makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { NOW, seedRoster, T0 } from './fixtures';

function events(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  return comp.getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    status: String(v.getFirstPropertyValue('status')),
    description: String(v.getFirstPropertyValue('description')),
  }));
}

test('sessions in a year without holiday data are TENTATIVE and say so, until that year is imported', async () => {
  const { db, url } = await freshDb(testDialects()[0]);
  const app = await makeTestApp({ db, url, now: () => NOW });
  await seedRoster(db);
  const [id] = await db('sessions').insert({
    uid: 'sess-2027-0001@xinfang-bot', date: '2027-02-10', slot: '上午', start_time: '09:00', end_time: '12:00', type: '接访',
    venue_id: 'county-center', accompany_units: '[]', status: 'planned', sequence: 0, plan_year: 2027, created_at: T0, updated_at: T0,
  });
  await db('session_leaders').insert({ session_id: Number(id), leader_id: 'ld-chen' });

  const first = await request(app.http).get('/ical/public.ics');
  const e2027 = events(first.text).find((e) => e.uid === 'sess-2027-0001@xinfang-bot')!;
  expect(e2027.status).toBe('TENTATIVE');
  expect(e2027.summary).toMatch(/^【暂定】/);
  expect(e2027.description).toContain('节假日安排尚未公布');
  expect(events(first.text).find((e) => e.uid === 'sess-2026-0001@xinfang-bot')!.status).toBe('CONFIRMED');

  // The leader's own feed says the same.
  const { secret } = await new FeedTokenStore(db).create({ kind: 'leader', subject: 'ld-chen' });
  const mine = await request(app.http).get(`/ical/leader/${secret}.ics`);
  expect(events(mine.text).find((e) => e.uid === 'sess-2027-0001@xinfang-bot')).toMatchObject({ status: 'TENTATIVE', summary: expect.stringMatching(/^【暂定】/) });
  // Unchanged, the feed answers 304 to its ETag.
  expect((await request(app.http).get('/ical/public.ics').set('If-None-Match', String(first.headers.etag))).status).toBe(304);

  // The import touches no session row: the ETag still changes, because the calendar's known years are part of it.
  await new HolidayStore(db).importDays([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027], 'test');
  await app.core.calendar.reload();
  const after = await request(app.http).get('/ical/public.ics').set('If-None-Match', String(first.headers.etag));
  expect(after.status).toBe(200);
  expect(after.headers.etag).not.toBe(first.headers.etag);
  const e = events(after.text).find((x) => x.uid === 'sess-2027-0001@xinfang-bot')!;
  expect(e.status).toBe('CONFIRMED');
  expect(e.summary).not.toContain('暂定');
  expect(e.description).not.toContain('暂定');
  expect((await request(app.http).get('/ical/public.ics').set('If-None-Match', String(after.headers.etag))).status).toBe(304);
  const mineAfter = await request(app.http).get(`/ical/leader/${secret}.ics`).set('If-None-Match', String(mine.headers.etag));
  expect(mineAfter.status).toBe(200);
  expect(events(mineAfter.text).find((x) => x.uid === 'sess-2027-0001@xinfang-bot')!.status).toBe('CONFIRMED');
  await db.destroy();
});
