import request from 'supertest';
import type { App } from '../../src/app';
import { createFeedService } from '../../src/feeds/feed-service';
import { makeTestApp } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { INTERNAL_NOTE, LEADERS, NOW, parseIcs, PETITIONER, seedCases, seedRoster, UID } from './fixtures';

/** Fetches a feed as a calendar app would, returning the raw text too. */
async function get(app: App, path: string, headers: Record<string, string> = {}) {
  const req = request(app.http).get(path).buffer(true).parse((res, cb) => {
    let data = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => { data += c; });
    res.on('end', () => cb(null, data));
  });
  for (const [k, v] of Object.entries(headers)) req.set(k, v);
  const res = await req;
  return { status: res.status, headers: res.headers, text: typeof res.body === 'string' ? res.body : '' };
}

describe.each(testDialects())('calendar feeds over HTTP ($name)', (dialect) => {
  let app: App;
  let clock = NOW;
  let sessionIds: Record<string, number>;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({ db, url, now: () => clock, env: { FEED_RATE_LIMIT_BURST: '1000', PUBLIC_BASE_URL: 'https://xf.example.gov.cn', FEED_BRIEFING_URL: '{base}/briefing/{uid}' } });
    sessionIds = await seedRoster(db);
    await seedCases(db);
    const service = createFeedService(app.core);
    tokens = {
      wang: (await service.tokens.create({ kind: 'leader', subject: 'ld-wang' })).secret,
      liu: (await service.tokens.create({ kind: 'leader', subject: 'ld-liu' })).secret,
      center: (await service.tokens.create({ kind: 'venue', subject: 'county-center' })).secret,
      ziran: (await service.tokens.create({ kind: 'deadlines', subject: '县自然资源局' })).secret,
    };
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });
  beforeEach(() => {
    clock = NOW;
  });

  test('the public feed is a subscription calendar in Asia/Shanghai that an independent parser reads', async () => {
    const r = await get(app, '/ical/public.ics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(r.headers['last-modified']).toISOString()).toBe('2026-02-15T01:00:00.000Z');
    expect(r.text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    expect(r.text).toContain('\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n');
    expect(r.text).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(r.text).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
    expect(r.text).not.toMatch(/\r\nMETHOD:/);
    expect(r.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    // Every line fits in 75 octets.
    for (const line of r.text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const { events, byUid } = parseIcs(r.text);
    // The 2025 session is past the 90-day window; the other four are in.
    expect(events.map((e) => e.uid)).toEqual([UID.s1, UID.s2, UID.s3, UID.s5]);
    const s1 = byUid.get(UID.s1)!;
    expect(s1.summary).toBe('县领导接访（县群众来访接待中心）');
    // 09:00 in Shanghai is 01:00 UTC.
    expect(s1.tzid).toBe('Asia/Shanghai');
    expect(s1.startUtc).toBe('2026-03-02T01:00:00.000Z');
    expect(s1.endUtc).toBe('2026-03-02T04:00:00.000Z');
    expect(s1.description).toContain('县委副书记、副县长');
    expect(s1.location).toContain('阳城镇人民路8号');
    expect(s1.status).toBe('CONFIRMED');
    expect(s1.url).toBe('https://xf.example.gov.cn/schedule');
    // DTSTAMP is the row's update time, in UTC.
    expect(r.text).toContain('DTSTAMP:20260110T020000Z');
    expect(byUid.get(UID.s2)!.summary).toBe('镇领导下访（七拱镇综治中心）');
    expect(byUid.get(UID.s2)!.startUtc).toBe('2026-03-05T06:30:00.000Z');
  });

  test('the public feed holds no personal data: no names, ID numbers, phones, notes, focus or units', async () => {
    const { text } = await get(app, '/ical/public.ics');
    for (const l of LEADERS) expect(text).not.toContain(l.name);
    for (const secret of [PETITIONER.name, PETITIONER.idNumber, PETITIONER.phone, '内部备注', '因会议取消', '征地拆迁补偿', '县自然资源局']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\d{17}[\dXx]/);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    // Not even in the folded text: unfold and look again.
    const unfolded = text.replace(/\r\n /g, '');
    for (const l of LEADERS) expect(unfolded).not.toContain(l.name);
    expect(unfolded).not.toContain(INTERNAL_NOTE.slice(0, 10));
  });

  test('a cancelled session stays with STATUS:CANCELLED for 30 days after its date, then leaves', async () => {
    const within = parseIcs((await get(app, '/ical/public.ics')).text).byUid.get(UID.s3)!;
    expect(within.status).toBe('CANCELLED');
    expect(within.summary).toBe('【已取消】县领导接访（县群众来访接待中心）');
    expect(within.sequence).toBe(1);

    // The session was on 2026-03-10: still shown on 04-09, gone on 04-10.
    clock = new Date('2026-04-09T15:00:00Z'); // 04-09 23:00 Shanghai
    expect(parseIcs((await get(app, '/ical/public.ics')).text).byUid.get(UID.s3)?.status).toBe('CANCELLED');
    clock = new Date('2026-04-09T16:30:00Z'); // 04-10 00:30 Shanghai
    expect(parseIcs((await get(app, '/ical/public.ics')).text).byUid.has(UID.s3)).toBe(false);
  });

  test('a session cancelled late is kept 30 days from the cancellation, even if its date is long past', async () => {
    const db = app.core.db;
    const [id] = await db('sessions').insert({
      uid: 'sess-late@xinfang-bot', date: '2026-01-05', slot: '上午', start_time: '09:00', end_time: '12:00', type: '接访',
      venue_id: 'county-center', status: 'cancelled', sequence: 3, plan_year: 2026, created_at: '2025-12-01 00:00:00.000',
      updated_at: '2026-04-20 02:00:00.000',
    });
    await db('session_leaders').insert({ session_id: id, leader_id: 'ld-chen' });
    try {
      clock = new Date('2026-05-20T02:00:00Z'); // 30 days after the cancellation
      expect(parseIcs((await get(app, '/ical/public.ics')).text).byUid.get('sess-late@xinfang-bot')?.status).toBe('CANCELLED');
      clock = new Date('2026-05-21T02:00:00Z');
      expect(parseIcs((await get(app, '/ical/public.ics')).text).byUid.has('sess-late@xinfang-bot')).toBe(false);
    } finally {
      await db('session_leaders').where({ session_id: id }).delete();
      await db('sessions').where({ id }).delete();
    }
  });

  test('an unchanged feed is byte-identical, and If-None-Match gets a 304 with no body', async () => {
    const a = await get(app, '/ical/public.ics');
    const b = await get(app, '/ical/public.ics');
    expect(b.text).toBe(a.text);
    expect(b.headers.etag).toBe(a.headers.etag);
    const c = await get(app, '/ical/public.ics', { 'If-None-Match': a.headers.etag });
    expect(c.status).toBe(304);
    expect(c.text).toBe('');
    expect(c.headers.etag).toBe(a.headers.etag);
    // A weak or listed form of the same tag matches too; another tag does not.
    expect((await get(app, '/ical/public.ics', { 'If-None-Match': `"x", W/${a.headers.etag}` })).status).toBe(304);
    expect((await get(app, '/ical/public.ics', { 'If-None-Match': '"stale"' })).status).toBe(200);
    // Rendered afresh by another service (no cache shared), on a later day with the same sessions
    // in its window: the same tag and the same bytes.
    clock = new Date('2026-02-21T02:00:00Z');
    const other = createFeedService(app.core);
    const v = await other.version({ kind: 'public' }, clock);
    expect(v.etag).toBe(a.headers.etag);
    expect(await other.render({ kind: 'public' }, clock)).toBe(a.text);
    expect(await createFeedService(app.core).render({ kind: 'public' }, clock)).toBe(a.text);
  });

  test('a change moves the time, raises SEQUENCE and DTSTAMP, and changes the ETag', async () => {
    const db = app.core.db;
    const before = await get(app, '/ical/public.ics');
    const prev = parseIcs(before.text).byUid.get(UID.s5)!;
    expect(prev.sequence).toBe(0);
    await db('sessions').where({ id: sessionIds[UID.s5] }).update({
      start_time: '14:30', end_time: '17:00', slot: '下午', status: 'changed', sequence: 1, updated_at: '2026-02-19 08:00:00.000',
    });
    try {
      const after = await get(app, '/ical/public.ics', { 'If-None-Match': before.headers.etag });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const e = parseIcs(after.text).byUid.get(UID.s5)!;
      expect(e.uid).toBe(UID.s5);
      expect(e.sequence).toBe(1);
      expect(e.startUtc).toBe('2026-04-01T06:30:00.000Z');
      expect(after.text).toContain('DTSTAMP:20260219T080000Z');
      expect(e.description).toContain('已调整');
    } finally {
      await db('sessions').where({ id: sessionIds[UID.s5] }).update({
        start_time: '09:00', end_time: '11:30', slot: '上午', status: 'planned', sequence: 0, updated_at: '2026-01-10 02:00:00.000',
      });
    }
  });

  test('a change written with a lagging clock still reaches the ETag within a minute', async () => {
    const db = app.core.db;
    const before = await get(app, '/ical/public.ics');
    // Another replica whose clock is behind: SEQUENCE rises, updated_at is older than the newest row.
    await db('sessions').where({ id: sessionIds[UID.s2] }).update({ start_time: '15:00', sequence: 1, updated_at: '2026-01-11 00:00:00.000' });
    const later = Date.now() + 61_000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      const after = await get(app, '/ical/public.ics', { 'If-None-Match': before.headers.etag });
      expect(after.status).toBe(200);
      expect(parseIcs(after.text).byUid.get(UID.s2)!.startUtc).toBe('2026-03-05T07:00:00.000Z');
    } finally {
      spy.mockRestore();
      await db('sessions').where({ id: sessionIds[UID.s2] }).update({ start_time: '14:30', sequence: 0, updated_at: '2026-01-10 02:00:00.000' });
    }
  });

  test('a renamed venue changes the ETag even though no session changed (within seconds)', async () => {
    const before = await get(app, '/ical/public.ics');
    await app.core.db('venues').where({ id: 'qigong' }).update({ name: '七拱镇社会治理中心' });
    // Leaders and venues are reread every 5 s.
    const later = Date.now() + 6000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      const after = await get(app, '/ical/public.ics', { 'If-None-Match': before.headers.etag });
      expect(after.status).toBe(200);
      expect(after.text).toContain('七拱镇社会治理中心');
    } finally {
      spy.mockRestore();
      await app.core.db('venues').where({ id: 'qigong' }).update({ name: '七拱镇综治中心' });
    }
  });

  test("a leader's feed follows the leaders it names, not every leader of the tables (a province shares them)", async () => {
    const path = `/ical/leader/${tokens.wang}.ics`;
    const before = await get(app, path);
    const later = (ms: number) => jest.spyOn(Date, 'now').mockImplementation(() => ms);
    // 刘桂兰 is on none of 王立新's sessions: renaming her changes nothing in his feed.
    await app.core.db('leaders').where({ id: 'ld-liu' }).update({ name: '刘桂芳' });
    let spy = later(Date.now() + 6000);
    try {
      expect((await get(app, path, { 'If-None-Match': before.headers.etag })).status).toBe(304);
    } finally {
      spy.mockRestore();
      await app.core.db('leaders').where({ id: 'ld-liu' }).update({ name: '刘桂兰' });
    }
    // 陈晓峰 receives with him on 3月2日: his new title shows there.
    await app.core.db('leaders').where({ id: 'ld-chen' }).update({ title: '县政府副县长' });
    spy = later(Date.now() + 12_000);
    try {
      const after = await get(app, path, { 'If-None-Match': before.headers.etag });
      expect(after.status).toBe(200);
      expect(parseIcs(after.text).byUid.get(UID.s1)!.description).toContain('县政府副县长');
    } finally {
      spy.mockRestore();
      await app.core.db('leaders').where({ id: 'ld-chen' }).update({ title: '副县长' });
    }
  });

  test("a leader's feed: only their sessions, in full, with the briefing link and never the internal note", async () => {
    const r = await get(app, `/ical/leader/${tokens.wang}.ics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(r.headers['cache-control']).toContain('private');
    const { events, byUid, comp } = parseIcs(r.text);
    expect(comp.getFirstPropertyValue('x-wr-calname')).toBe('王立新的接访下访日程');
    expect(events.map((e) => e.uid)).toEqual([UID.s1, UID.s3]);
    const s1 = byUid.get(UID.s1)!;
    expect(s1.summary).toBe('接访：县群众来访接待中心');
    expect(s1.startUtc).toBe('2026-03-02T01:00:00.000Z');
    expect(s1.description).toContain('陪同单位：县信访局、县自然资源局');
    expect(s1.description).toContain('接访重点：征地拆迁补偿');
    expect(s1.description).toContain('同场领导：陈晓峰（副县长）');
    expect(s1.description).not.toContain('王立新');
    expect(s1.url).toBe(`https://xf.example.gov.cn/briefing/${encodeURIComponent(UID.s1)}`);
    expect(s1.description).toContain(s1.url);
    expect(s1.description).toContain('发送“接访简报 2026-03-02”');
    expect(r.text).toContain('TRANSP:OPAQUE');
    expect(byUid.get(UID.s3)!.status).toBe('CANCELLED');
    expect(r.text).not.toContain('内部备注');
    expect(r.text.replace(/\r\n /g, '')).not.toContain(PETITIONER.idNumber);

    const liu = parseIcs((await get(app, `/ical/leader/${tokens.liu}.ics`)).text);
    expect(liu.events.map((e) => e.uid)).toEqual([UID.s2]);
  });

  test("a venue's feed lists the sessions there with who comes", async () => {
    const r = await get(app, `/ical/venue/${tokens.center}.ics`);
    expect(r.status).toBe(200);
    const { events, byUid } = parseIcs(r.text);
    expect(events.map((e) => e.uid)).toEqual([UID.s1, UID.s3, UID.s5]);
    expect(byUid.get(UID.s1)!.summary).toBe('王立新（县委副书记）等2位领导接访');
    expect(byUid.get(UID.s1)!.description).toContain('陈晓峰（副县长）');
    expect(r.text).not.toContain('内部备注');
  });

  test("a unit's deadline feed: open deadlines as all-day events with case number and category only", async () => {
    const r = await get(app, `/ical/deadlines/${tokens.ziran}.ics`);
    expect(r.status).toBe(200);
    const { events } = parseIcs(r.text);
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.uid).toBe('deadline-2026-000001-conclusion@xinfang-bot');
    expect(e.start.isDate).toBe(true);
    expect(e.start.toString()).toBe('2026-04-10');
    expect(e.end.toString()).toBe('2026-04-11');
    expect(e.summary).toBe('办结期限：2026-000001（自然资源）');
    const unfolded = r.text.replace(/\r\n /g, '');
    for (const secret of [PETITIONER.name, PETITIONER.idNumber, PETITIONER.phone, '承包地', '李四海', '2026-000002']) {
      expect(unfolded).not.toContain(secret);
    }
    // Stable: the same bytes again, and the ETag answers 304.
    const again = await get(app, `/ical/deadlines/${tokens.ziran}.ics`, { 'If-None-Match': r.headers.etag });
    expect(again.status).toBe(304);
    // Met deadlines leave the feed.
    await app.core.db('case_deadlines').where({ kind: 'conclusion', unit: '县自然资源局' }).update({ status: 'met', updated_at: '2026-02-19 00:00:00.000' });
    try {
      const after = await get(app, `/ical/deadlines/${tokens.ziran}.ics`, { 'If-None-Match': r.headers.etag });
      expect(after.status).toBe(200);
      expect(parseIcs(after.text).events).toHaveLength(0);
    } finally {
      await app.core.db('case_deadlines').where({ kind: 'conclusion', unit: '县自然资源局' }).update({ status: 'open', updated_at: '2026-01-10 02:00:00.000' });
    }
  });

  test('unknown, malformed, revoked and wrong-kind tokens all get the same 404', async () => {
    const service = createFeedService(app.core);
    const { token, secret } = await service.tokens.create({ kind: 'leader', subject: 'ld-chen' });
    expect((await get(app, `/ical/leader/${secret}.ics`)).status).toBe(200);
    await service.tokens.revoke(String(token.id));
    const answers = await Promise.all([
      get(app, `/ical/leader/${secret}.ics`), // revoked
      get(app, `/ical/leader/${'A'.repeat(32)}.ics`), // unknown
      get(app, '/ical/leader/nonsense.ics'),
      get(app, `/ical/leader/${tokens.wang}`), // no .ics
      get(app, `/ical/venue/${tokens.wang}.ics`), // a leader's token on the venue path
      get(app, `/ical/nothing/${tokens.wang}.ics`),
    ]);
    for (const a of answers) {
      expect(a.status).toBe(404);
      expect(a.text).toBe(answers[0].text);
      expect(a.text).not.toContain('VCALENDAR');
    }
    expect(JSON.parse(answers[0].text).error).toContain('链接无效或已停用');
  });

  test('the output does not depend on the server time zone (no local-clock Date reads)', async () => {
    const service = createFeedService(app.core);
    const spec = { kind: 'leader' as const, leader: (await service.roster.leader('ld-wang'))! };
    const here = await service.render(spec, NOW);
    // As if the server ran 5 hours behind UTC: every local-time getter of Date lies.
    const shifted = (fn: (d: Date) => number) => function (this: Date) { return fn(new Date(this.getTime() - 5 * 3600_000)); };
    const spies = [
      jest.spyOn(Date.prototype, 'getFullYear').mockImplementation(shifted((d) => d.getUTCFullYear())),
      jest.spyOn(Date.prototype, 'getMonth').mockImplementation(shifted((d) => d.getUTCMonth())),
      jest.spyOn(Date.prototype, 'getDate').mockImplementation(shifted((d) => d.getUTCDate())),
      jest.spyOn(Date.prototype, 'getHours').mockImplementation(shifted((d) => d.getUTCHours())),
      jest.spyOn(Date.prototype, 'getTimezoneOffset').mockImplementation(() => 300),
    ];
    try {
      expect(new Date('2026-03-02T01:00:00Z').getHours()).toBe(20);
      const there = await service.render(spec, NOW);
      expect(there).toBe(here);
      expect(there).toContain('DTSTART;TZID=Asia/Shanghai:20260302T090000');
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe.each(testDialects())('feed rate limiting ($name)', (dialect) => {
  let app: App;
  /** A second replica on the same database. */
  let replica: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(dialect);
    const env = { FEED_RATE_LIMIT_BURST: '3', FEED_RATE_LIMIT_PER_MIN: '60' };
    app = await makeTestApp({ db, url, now: () => NOW, env });
    replica = await makeTestApp({ db, url, now: () => NOW, env });
    await seedRoster(db);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('a client over its budget gets 429 with Retry-After, others are still served; token guesses count too', async () => {
    const from = (ip: string, path = '/ical/public.ics') => request(app.http).get(path).set('X-Forwarded-For', ip);
    expect((await from('203.0.113.5')).status).toBe(200);
    expect((await from('203.0.113.5', '/ical/leader/guess1.ics')).status).toBe(404);
    expect((await from('203.0.113.5', '/ical/leader/guess2.ics')).status).toBe(404);
    const limited = await from('203.0.113.5', '/ical/leader/guess3.ics');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.error).toContain('请求过于频繁');
    expect((await from('203.0.113.5')).status).toBe(429);
    expect((await from('198.51.100.7')).status).toBe(200);
    // Other routes are not limited.
    expect((await request(app.http).get('/healthz').set('X-Forwarded-For', '203.0.113.5')).status).toBe(200);
  });

  test('replicas on one database share the budget: what one replica counted, the other refuses', async () => {
    const from = (target: App, ip: string) => request(target.http).get('/ical/public.ics').set('X-Forwarded-For', ip);
    expect((await from(app, '192.0.2.44')).status).toBe(200);
    expect((await from(replica, '192.0.2.44')).status).toBe(200);
    expect((await from(app, '192.0.2.44')).status).toBe(200);
    const limited = await from(replica, '192.0.2.44');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toContain('请求过于频繁');
    const [row] = await app.core.db('feed_rate_limits').where('key', 'feeds:192.0.2.44').select('points');
    expect(Number(row.points)).toBe(4);
  });
});
