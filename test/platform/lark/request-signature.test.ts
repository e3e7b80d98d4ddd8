import * as lark from '@larksuiteoapi/node-sdk';
import { larkSignature, safeEqual, tokenMatches, verifyLarkRequest } from '../../../src/platform/lark/request-signature';
import { ConfigError, loadConfig } from '../../../src/platform/settings/config';

describe('verifyLarkRequest', () => {
  const key = 'kEy-123';
  const body = Buffer.from(JSON.stringify({ encrypt: 'abc' }));
  const now = 1_772_400_000_000;
  const ts = String(now / 1000);
  const signed = { timestamp: ts, nonce: 'n0nce', signature: larkSignature(ts, 'n0nce', key, body) };
  const AGE = 8 * 3600;

  test('the signature is sha256(timestamp + nonce + key + body), as the SDK computes it', () => {
    const { createHash } = jest.requireActual('node:crypto');
    expect(signed.signature).toBe(createHash('sha256').update(ts + 'n0nce' + key + body.toString()).digest('hex'));
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now })).toEqual({ ok: true });
  });

  test('a changed byte, another key, or a missing header fails', () => {
    const changed = Buffer.from(body);
    changed[3] ^= 1;
    expect(verifyLarkRequest({ rawBody: changed, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: 'other', maxAgeSeconds: AGE, nowMs: now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLarkRequest({ rawBody: body, headers: { ...signed, signature: undefined }, encryptKey: key, maxAgeSeconds: AGE, nowMs: now })).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifyLarkRequest({ rawBody: body, headers: { ...signed, timestamp: '12ab' }, encryptKey: key, maxAgeSeconds: AGE, nowMs: now })).toEqual({ ok: false, reason: 'bad_timestamp' });
  });

  test('the signature is read in either letter case; a cut, padded or non-hex one fails', () => {
    const check = (signature: string) => verifyLarkRequest({ rawBody: body, headers: { ...signed, signature }, encryptKey: key, maxAgeSeconds: AGE, nowMs: now });
    expect(check(signed.signature.toUpperCase())).toEqual({ ok: true });
    for (const bad of [signed.signature.slice(0, 63), `${signed.signature}0`, `${signed.signature.slice(0, 62)}zz`, `${signed.signature.slice(0, 62)} 0`, '']) {
      expect([bad, check(bad)]).toEqual([bad, { ok: false, reason: bad ? 'bad_signature' : 'missing_signature' }]);
    }
  });

  test('a request older than the age window, or more than 5 minutes ahead of our clock, is refused', () => {
    // Received later than it was signed: within LARK_REQUEST_MAX_AGE_SECONDS it passes (Lark's last re-delivery comes 7 h 5 min on).
    for (const later of [0, 15_000, 5 * 60_000, 3600_000, 7 * 3600_000 + 6 * 60_000, AGE * 1000]) {
      expect([later, verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now + later })]).toEqual([later, { ok: true }]);
    }
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now + AGE * 1000 + 1000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: 300, nowMs: now + 301_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    // Signed "in the future": only the clocks' disagreement, 5 minutes.
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now - 299_000 })).toEqual({ ok: true });
    expect(verifyLarkRequest({ rawBody: body, headers: signed, encryptKey: key, maxAgeSeconds: AGE, nowMs: now - 301_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  test('tokens and strings compare in full', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('settings', () => {
  const app = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's' };

  test('webhook mode refuses to start in production without LARK_ENCRYPT_KEY', () => {
    expect(() => loadConfig({ ...app, NODE_ENV: 'production', LARK_MODE: 'webhook' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...app, NODE_ENV: 'production', LARK_MODE: 'webhook' })).toThrow(/LARK_ENCRYPT_KEY/);
    expect(loadConfig({ ...app, NODE_ENV: 'production', LARK_MODE: 'webhook', LARK_ENCRYPT_KEY: 'k' }).larkEnabled).toBe(true);
    expect(loadConfig({ ...app, NODE_ENV: 'production', LARK_MODE: 'ws' }).LARK_MODE).toBe('ws');
  });

  test('budgets default to Lark’s limits and are configurable; retention is at least 8 hours', () => {
    const c = loadConfig({});
    expect([c.OUTBOX_CHAT_RATE, c.OUTBOX_APP_RATE, c.LARK_CARD_MAX_BYTES]).toEqual([5, 50, 30 * 1024]);
    expect(loadConfig({ OUTBOX_CHAT_RATE: '3', OUTBOX_APP_RATE: '20' })).toMatchObject({ OUTBOX_CHAT_RATE: 3, OUTBOX_APP_RATE: 20 });
    expect(() => loadConfig({ LARK_EVENT_RETENTION_HOURS: '4' })).toThrow(ConfigError);
    expect(c.OUTBOX_APP_RATE_PER_MINUTE).toBe(1000);
  });

  test('the request-age window defaults to 8 hours (Lark’s last re-delivery), and the event ids are kept longer', () => {
    expect(loadConfig({})).toMatchObject({ LARK_REQUEST_MAX_AGE_SECONDS: 28_800, LARK_EVENT_RETENTION_HOURS: 24 });
    expect(loadConfig({ LARK_REQUEST_MAX_AGE_SECONDS: '300' }).LARK_REQUEST_MAX_AGE_SECONDS).toBe(300);
    // Event ids kept no longer than the window would let a replay through once they are pruned.
    expect(() => loadConfig({ LARK_REQUEST_MAX_AGE_SECONDS: '36000', LARK_EVENT_RETENTION_HOURS: '10' })).toThrow(/LARK_EVENT_RETENTION_HOURS/);
    expect(loadConfig({ LARK_REQUEST_MAX_AGE_SECONDS: '36000', LARK_EVENT_RETENTION_HOURS: '11' }).LARK_REQUEST_MAX_AGE_SECONDS).toBe(36_000);
    expect(() => loadConfig({ LARK_REQUEST_MAX_AGE_SECONDS: '10' })).toThrow(/至少 60 秒/);
  });

  test('LARK_DOMAIN takes feishu, lark or a URL', async () => {
    const { larkDomain } = await import('../../../src/platform/lark/lark-client');
    expect(larkDomain('feishu')).toBe(lark.Domain.Feishu);
    expect(larkDomain('lark')).toBe(lark.Domain.Lark);
    expect(larkDomain('http://127.0.0.1:9999/')).toBe('http://127.0.0.1:9999');
    expect(() => larkDomain('ftp://x')).toThrow(ConfigError);
    expect(() => larkDomain('not a url')).toThrow(ConfigError);
  });
});
