import type { Knex } from 'knex';
import { FeedTokenError, FeedTokenStore, hashFeedToken } from '../../src/feeds/feed-token-store';
import { freshDb, testDialects } from '../helpers/db';

describe.each(testDialects({ galera: true }))('FeedTokenStore ($name)', (dialect) => {
  let db: Knex;
  let store: FeedTokenStore;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    store = new FeedTokenStore(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('a token is at least 128 random bits, URL-safe, and only its hash and prefix are stored', async () => {
    const a = await store.create({ kind: 'leader', subject: 'ld-1', label: '手机' });
    const b = await store.create({ kind: 'leader', subject: 'ld-1' });
    expect(a.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Buffer.from(a.secret, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(a.secret).not.toBe(b.secret);
    expect(a.token.prefix).toBe(a.secret.slice(0, 6));
    const rows = await db('feed_tokens').select();
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(a.secret);
    expect(dump).not.toContain(b.secret);
    expect(rows.find((r: any) => r.id === a.token.id).token_hash).toBe(hashFeedToken(a.secret));
    // Never a leading “-” (one in 64 would have one): the prefix is typed on the command line.
    for (let i = 0; i < 300; i++) expect((await store.create({ kind: 'venue', subject: 'v-1' })).secret.startsWith('-')).toBe(false);
  });

  test('resolve: a valid token of the right kind only; unknown, revoked and wrong-kind give null', async () => {
    const { token, secret } = await store.create({ kind: 'venue', subject: 'county-center' });
    expect((await store.resolve('venue', secret))?.subject).toBe('county-center');
    expect(await store.resolve('leader', secret)).toBeNull();
    expect(await store.resolve('venue', secret.slice(0, -1))).toBeNull();
    expect(await store.resolve('venue', secret.toLowerCase() === secret ? secret.toUpperCase() : secret.toLowerCase())).toBeNull();
    expect(await store.resolve('venue', '')).toBeNull();
    expect(await store.resolve('venue', 'x'.repeat(10_000))).toBeNull();
    await store.revoke(String(token.id));
    expect(await store.resolve('venue', secret)).toBeNull();
  });

  test('resolve does the same database work for unknown, revoked, mismatched and valid tokens', async () => {
    const valid = await store.create({ kind: 'deadlines', subject: '县教育局' });
    const revoked = await store.create({ kind: 'deadlines', subject: '县教育局' });
    await store.revoke(String(revoked.token.id));
    const queries: string[] = [];
    const listener = (q: { sql: string }) => queries.push(q.sql);
    db.on('query', listener);
    try {
      const cases: Array<[string, string]> = [
        ['deadlines', valid.secret], ['deadlines', revoked.secret], ['leader', valid.secret], ['deadlines', 'nope'], ['deadlines', ''],
      ];
      const seen: string[][] = [];
      for (const [kind, secret] of cases) {
        queries.length = 0;
        await store.resolve(kind, secret);
        seen.push([...queries]);
      }
      for (const s of seen) expect(s).toEqual(seen[0]);
      expect(seen[0]).toHaveLength(1);
    } finally {
      db.removeListener('query', listener);
    }
  });

  test('revoke and rotate by id or prefix; ambiguity and unknown keys are errors that change nothing', async () => {
    const t = await store.create({ kind: 'leader', subject: 'ld-rot', label: '办公室电脑' });
    const r = await store.rotate(t.token.prefix, 'admin');
    expect(r.old.id).toBe(t.token.id);
    expect(r.token.subject).toBe('ld-rot');
    expect(r.token.label).toBe('办公室电脑');
    expect(await store.resolve('leader', t.secret)).toBeNull();
    expect((await store.resolve('leader', r.secret))?.id).toBe(r.token.id);
    await expect(store.rotate(String(t.token.id), 'admin')).rejects.toThrow(FeedTokenError);

    const again = await store.revoke(String(t.token.id));
    expect(again.already).toBe(true);
    await expect(store.revoke('999999')).rejects.toThrow('找不到令牌');
    await expect(store.revoke('')).rejects.toThrow(FeedTokenError);

    // Two active tokens sharing a prefix: the prefix is refused, the id still works.
    const twin = await store.create({ kind: 'venue', subject: 'v-twin' });
    await db('feed_tokens').insert({
      token_hash: hashFeedToken('other'), prefix: twin.token.prefix, kind: 'venue', subject: 'v-twin', created_at: '2026-01-01 00:00:00.000',
    });
    await expect(store.revoke(twin.token.prefix)).rejects.toThrow('对应多个令牌');
    expect(await store.resolve('venue', twin.secret)).not.toBeNull();
    expect((await store.revoke(String(twin.token.id))).already).toBe(false);

    const before = await store.list();
    const rf = await store.rotateFor({ kind: 'leader', subject: 'ld-rot' });
    expect(rf.revoked).toBe(1);
    expect((await store.activeFor('leader', 'ld-rot')).map((x) => x.id)).toEqual([rf.token.id]);
    expect((await store.list()).length).toBe(before.length);
    expect((await store.list({ includeRevoked: true })).length).toBeGreaterThan(before.length);
  });
});
