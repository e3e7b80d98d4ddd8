import request from 'supertest';
import type { App } from '../../../src/app';
import { listenFailureMessage } from '../../../src/platform/http/http-app';
import { enqueueMessage, claimOutboxRows, markOutboxFailed, markOutboxRetry } from '../../../src/platform/outbox/outbox-store';
import { freshDb, testDialects } from '../../helpers/db';
import { makeTestApp } from '../../helpers/app';

const [sqlite] = testDialects();

describe('GET /metrics and METRICS_TOKEN', () => {
  const apps: App[] = [];
  const appWith = async (env: Record<string, string>) => {
    const { db, url } = await freshDb(sqlite);
    const app = await makeTestApp({ db, url, env });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const a of apps) await a.core.db.destroy();
  });

  test('unset: open, as before', async () => {
    const res = await request((await appWith({})).http).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('xinfang_outbox_sent_total');
  });

  test('a token: only a request carrying it (Bearer header or ?token=) reads the metrics; anything else gets 401 in Chinese', async () => {
    const http = (await appWith({ METRICS_TOKEN: 's3cret-metrics-token' })).http;
    for (const req of [
      request(http).get('/metrics'),
      request(http).get('/metrics').set('Authorization', 'Bearer wrong'),
      request(http).get('/metrics').set('Authorization', 's3cret-metrics-token'),
      request(http).get('/metrics?token=s3cret-metrics-toke'),
    ]) {
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: '读取运行指标需要正确的访问令牌（METRICS_TOKEN）' });
      expect(res.text).not.toContain('xinfang_');
    }
    const byHeader = await request(http).get('/metrics').set('Authorization', 'Bearer s3cret-metrics-token');
    expect(byHeader.status).toBe(200);
    expect(byHeader.text).toContain('xinfang_outbox_sent_total');
    expect((await request(http).get('/metrics?token=s3cret-metrics-token')).status).toBe(200);
    // The rest of the app is not behind it.
    expect((await request(http).get('/healthz')).status).toBe(200);
  });

  test('off: no metrics at all', async () => {
    const res = await request((await appWith({ METRICS_TOKEN: 'off' })).http).get('/metrics').set('Authorization', 'Bearer off');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: '没有这个地址' });
  });
});

describe('GET /healthz and the outbox backlog', () => {
  let app: App;
  beforeEach(async () => {
    const { db, url } = await freshDb(sqlite);
    app = await makeTestApp({ db, url });
  });
  afterEach(async () => {
    await app.core.db.destroy().catch(() => undefined);
  });

  const ago = (ms: number) => new Date(Date.now() - ms);
  const queue = (chat: string, at: Date) => enqueueMessage(app.core.db, { receiveId: chat, msgType: 'text', content: { text: 'x' }, transport: 'console' }, at);
  const failAt = async (id: number, at: Date) => {
    const now = new Date();
    await claimOutboxRows(app.core.db, [id], `c#${id}`, now, new Date(now.getTime() + 60_000));
    await markOutboxFailed(app.core.db, id, `c#${id}`, 230002, 'Bot is not in the chat.', true, at);
  };

  test('nothing waiting: ok, with the counts', async () => {
    const res = await request(app.http).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', outbox: { transport: 'console', waiting: 0, retrying: 0, oldestWaitSeconds: 0, failed: 0, failedLast24h: 0 } });
  });

  test('messages waiting past OUTBOX_BACKLOG_ALERT_SECONDS, some retrying: degraded, still 200, with the count and the wait in Chinese', async () => {
    const retrying = await queue('console:b', ago(60_000));
    // A minute's wait is no backlog yet.
    expect((await request(app.http).get('/healthz')).body).toMatchObject({ status: 'ok', outbox: { waiting: 1 } });
    for (let i = 0; i < 3; i++) await queue('console:a', ago(10 * 60_000));
    const now = new Date();
    await claimOutboxRows(app.core.db, [retrying], 'c#r', now, new Date(now.getTime() + 60_000));
    await markOutboxRetry(app.core.db, retrying, 'c#r', { nextAttemptAt: new Date(now.getTime() + 60_000), code: 500, msg: 'HTTP 500', countAttempt: true, now });
    const res = await request(app.http).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.outbox).toMatchObject({ waiting: 4, retrying: 1 });
    expect(res.body.outbox.oldestWaitSeconds).toBeGreaterThanOrEqual(600);
    expect(res.body.outbox.oldestWaitSeconds).toBeLessThan(605);
    expect(res.body.problems).toEqual(['发件箱积压：4 条消息等待发送，最早的已等待 10 分钟；其中 1 条发送失败，正在按退避重试']);
  });

  test('a message that failed in the last 24 hours: degraded, with what to do; an older failure alone is counted but ok', async () => {
    const old = await queue('console:c', ago(48 * 3_600_000));
    await failAt(old, ago(30 * 3_600_000));
    let res = await request(app.http).get('/healthz');
    expect(res.body).toMatchObject({ status: 'ok', outbox: { failed: 1, failedLast24h: 0 } });
    await failAt(await queue('console:d', ago(3_600_000)), ago(3_600_000));
    res = await request(app.http).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.problems).toEqual(['过去 24 小时有 1 条消息发送失败（xinfang outbox list --failed 查看，修复原因后 xinfang outbox retry --failed 重发）']);
  });

  test('the database away: 503', async () => {
    await app.core.db.destroy();
    const res = await request(app.http).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'error', error: '数据库无法连接' });
  });

  test('/metrics shows the backlog as gauges by transport, read at the scrape', async () => {
    for (let i = 0; i < 2; i++) await queue('console:m', ago(90_000));
    await failAt(await queue('console:n', ago(1000)), ago(1000));
    const text = (await request(app.http).get('/metrics')).text;
    const gauge = (name: string) => Number(new RegExp(`^${name}\\{[^}]*transport="console"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(gauge('xinfang_outbox_waiting')).toBe(2);
    expect(gauge('xinfang_outbox_retrying')).toBe(0);
    expect(gauge('xinfang_outbox_failed')).toBe(1);
    expect(gauge('xinfang_outbox_oldest_wait_seconds')).toBeGreaterThanOrEqual(90);
    expect(gauge('xinfang_outbox_oldest_wait_seconds')).toBeLessThan(95);
    await app.core.db('outbox').delete();
    const after = (await request(app.http).get('/metrics')).text;
    expect(after).toMatch(/^xinfang_outbox_waiting\{[^}]*transport="console"[^}]*\} 0$/m);
  });
});

describe('why the server could not listen', () => {
  test('a busy port, a forbidden one, an address the machine does not have: each in Chinese', () => {
    expect(listenFailureMessage(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), 3000)).toMatch(/^端口 3000 已被占用/);
    expect(listenFailureMessage(Object.assign(new Error('x'), { code: 'EACCES' }), 80)).toContain('没有权限监听端口 80');
    expect(listenFailureMessage(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }), 3000, '10.9.9.9')).toContain('本机没有地址 10.9.9.9');
  });
});
