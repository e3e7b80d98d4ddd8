import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, Browser } from 'playwright-core';
import request from 'supertest';
import type { App } from '../../../src/app';
import { seedDemo } from '../../../src/demo/seed-demo';
import { CONSOLE_VCHART_PATH } from '../../../src/platform/console/console-page';
import { makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';

const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'secret-token';

/** The console draws a card's charts with VChart, served by the console itself, in headless Chromium. */
describe('charts in the console page', () => {
  let app: App;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // Fail loudly: a missing browser must never let this test pass by doing nothing.
    if (!fs.existsSync(CHROMIUM)) throw new Error(`没有找到 Chromium（${CHROMIUM}）。请先安装：apt-get update && apt-get install -y chromium`);
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => new Date('2026-12-02T02:00:00Z'), env: { CONSOLE_TOKEN: TOKEN } });
    await seedDemo(app.core);
    server = app.http.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await app?.core.db.destroy();
  });

  test('the chart library comes from the console (no CDN, no token needed: it is public code)', async () => {
    const res = await request(app.http).get(CONSOLE_VCHART_PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.text.length).toBeGreaterThan(100_000);
  });

  test('统计 2026: each of the card’s four charts is drawn on a canvas, with no page error and no outside request', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && outside.push(r.url()));

    await page.goto(`${base}/console?token=${TOKEN}`);
    await page.locator('#user option[value="staff1"]').waitFor({ state: 'attached' });
    await page.selectOption('#user', 'staff1');
    await page.fill('#text', '统计 2026');
    await page.click('#send button');
    await page.locator('.card .hd', { hasText: '信访统计 · 2026年' }).waitFor();
    const charts = page.locator('#log .chart');
    await page.waitForFunction(() => document.querySelectorAll('#log .chart canvas').length >= 4, null, { timeout: 20_000 });
    expect(await charts.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chart))).toEqual(['chart_month', 'chart_category', 'chart_town', 'chart_rates']);

    // Let VChart finish its first frame, then count the pixels that are neither blank nor background.
    await page.waitForTimeout(500);
    const inked = await charts.evaluateAll((els) => els.map((el) => {
      const c = el.querySelector('canvas') as HTMLCanvasElement;
      const { data, width, height } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) n++;
      return { n, share: n / (width * height), width, height };
    }));
    for (const c of inked) {
      expect(c.width).toBeGreaterThan(200);
      expect(c.height).toBeGreaterThan(100);
      expect(c.share).toBeGreaterThan(0.01);
    }
    expect(await page.locator('#log .chart .err').count()).toBe(0);
    expect(await page.locator('#log').innerText()).toContain('登记信访事项');
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
