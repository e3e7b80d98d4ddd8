import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, Browser } from 'playwright-core';
import request from 'supertest';
import type { App } from '../../src/app';
import type { PlanSession } from '../../src/roster/domain';
import { RosterService } from '../../src/roster/roster-service';
import { makeTestApp } from '../helpers/app';
import { renderSchedulePage } from '../../src/roster/schedule-page';
import { freshDb, testDialects } from '../helpers/db';
import { MONDAY, seedMiniCounty } from './fixtures';

const CHROMIUM = '/usr/bin/chromium';

function session(date: string, venueId: string, leader: string, extra: Partial<PlanSession> = {}): PlanSession {
  return {
    date, slot: '上午', startTime: '08:30', endTime: '12:00', type: '接访', venueId, leaderIds: [leader], accompanyUnits: ['县自然资源局'],
    focus: '重点：王某某宅基地纠纷', capacity: null, ruleId: null, substituteFor: null, note: '内部：注意稳控', ...extra,
  };
}

describe('GET /schedule, the public reception schedule, in headless Chromium', () => {
  let app: App;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // Fail loudly: a missing browser must never let this test pass by doing nothing.
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`没有找到 Chromium（${CHROMIUM}）。请先安装：apt-get update && apt-get install -y chromium（.ci/run 会自动安装）`);
    }
    const { db, url } = await freshDb(testDialects()[0]);
    // A console token is set: the public page must still need no login.
    app = await makeTestApp({ db, url, now: () => MONDAY, env: { CONSOLE_TOKEN: 'secret-token', SCHEDULE_DAYS: '14' } });
    const store = await seedMiniCounty(app.core);
    const roster = new RosterService(app.core);
    const [, , , , cancelled] = await store.sessions.insertSessions(app.core.db, [
      session('2026-02-27', 'county-center', 'cty1'), // past: not shown
      session('2026-03-02', 'county-center', 'cty1'),
      session('2026-03-03', 'zz-yangcheng', 'yc1', { slot: '全天', endTime: '17:30' }),
      session('2026-03-04', 'zz-qigong', 'cty2', { type: '下访', slot: '下午', startTime: '14:30', endTime: '17:30' }),
      session('2026-03-05', 'zz-qigong', 'qg1'),
      session('2026-03-20', 'county-center', 'cty3'), // beyond 14 days: not shown
    ]);
    await roster.changes.cancel((await app.core.users.get('admin'))!, cancelled, '防汛会议');
    server = app.http.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await app?.core.db.destroy();
  });

  test('on a phone: coming days by date, venue and the leader’s post, readable without sideways scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, isMobile: true, deviceScaleFactor: 2 });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const res = await page.goto(`${base}/schedule`);
    expect(res!.status()).toBe(200);
    expect(await page.title()).toBe('领导干部接访下访安排');

    const days = await page.locator('section.day h2').allInnerTexts();
    expect(days.map((d) => d.replace(/\s+/g, ''))).toEqual([
      '2026年3月2日（周一）今天', '2026年3月3日（周二）', '2026年3月4日（周三）', '2026年3月5日（周四）',
    ]);
    const first = page.locator('section.day').first();
    expect(await first.innerText()).toMatch(/上午 08:30—12:00[\s\S]*县群众来访接待中心[\s\S]*县城人民路 88 号[\s\S]*接访领导：县委书记/);
    const body = await page.locator('body').innerText();
    expect(body).toMatch(/下午 14:30—17:30[\s\S]*七拱镇综治中心\s*下访[\s\S]*接访领导：县长/);
    expect(body).toContain('阳城镇党委书记');
    // The cancelled session stays, marked, so nobody comes in vain.
    const cancelled = page.locator('li.is-cancelled');
    expect(await cancelled.count()).toBe(1);
    expect(await cancelled.innerText()).toMatch(/已取消[\s\S]*七拱镇综治中心/);

    // No personal data and nothing internal: titles, not names; no notes, focus or accompanying units.
    for (const hidden of ['林启航', '周庭远', '黎嘉禾', '卢可风', '王某某', '内部', '稳控', '县自然资源局', '防汛会议', '2026年2月27日', '2026年3月20日']) {
      expect([hidden, body.includes(hidden)]).toEqual([hidden, false]);
    }

    const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(fits).toBe(true);
    const fontSize = await page.locator('.session .venue').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(14);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a town filter shows only that town’s days', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${base}/schedule`);
    await page.getByRole('link', { name: '七拱镇' }).click();
    await page.waitForURL(/town=/);
    const body = await page.locator('main').innerText();
    expect(body).toContain('七拱镇综治中心');
    expect(body).not.toContain('县群众来访接待中心');
    expect(body).not.toContain('阳城镇综治中心');
    await page.close();
  });

  test('no login, safe headers, and text from the database is escaped', async () => {
    const res = await request(app.http).get('/schedule');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    await app.core.db('venues').where({ id: 'zz-qigong' }).update({ name: '七拱镇<script>alert(1)</script>' });
    const evil = await request(app.http).get('/schedule?town=%3Cb%3E');
    expect(evil.text).not.toContain('<script>alert(1)</script>');
    expect(evil.text).toContain('&lt;script&gt;');
    expect(evil.text).not.toContain('<b>');
    expect(evil.text).toContain('没有找到');
  });

  test('days in a year without holiday data are marked 暂定', async () => {
    const [s] = await new RosterService(app.core).store.sessions.listSessions({ from: '2026-03-03', to: '2026-03-03' });
    const html = renderSchedulePage({
      sessions: [{ ...s, date: '2027-01-04' }], provisional: (d) => d.startsWith('2027'), today: '2026-12-28', days: 14,
      towns: [], town: null, unknownTown: null, showNames: false,
    });
    expect(html).toContain('<span class="badge provisional">暂定</span>');
    expect(html).toContain('2027年1月4日（周一）');
  });
});
