import type { Knex } from 'knex';
import { DraftConflictError, DraftStore } from '../../../src/platform/forms/draft-store';
import { freshDb, testDialects } from '../../helpers/db';

const NOW = new Date('2026-03-10T06:20:00.000Z');
const DAY = 24 * 3600 * 1000;

describe.each(testDialects({ galera: true }))('form drafts on $name', (dialect) => {
  let db: Knex;
  let store: DraftStore;
  beforeAll(async () => {
    ({ db } = await freshDb(dialect));
    store = new DraftStore(db);
  });
  afterAll(async () => {
    await db.destroy();
  });

  test('a draft round-trips its JSON state (Chinese, long text, quotes) and expires a TTL after its last save', async () => {
    const state = { step: 'ask', values: { name: { v: '王某某', d: '王某某' }, content: { v: `'; DROP TABLE cases; --${'长'.repeat(10000)}`, d: '' } } };
    const d = await store.create('u1', 'c1', 'petition', state, NOW, DAY);
    expect(d.version).toBe(1);
    const back = await store.get('u1', 'c1');
    expect(back).toMatchObject({ userId: 'u1', chatId: 'c1', form: 'petition', version: 1, state });
    expect(back!.expiresAt.toISOString()).toBe('2026-03-11T06:20:00.000Z');
    expect(await store.get('u1', 'other-chat')).toBeNull();
  });

  test('one draft per person per chat: a second create is a conflict', async () => {
    await store.create('u2', 'c1', 'petition', { n: 1 }, NOW, DAY);
    await expect(store.create('u2', 'c1', 'petition', { n: 2 }, NOW, DAY)).rejects.toBeInstanceOf(DraftConflictError);
    expect((await store.get('u2', 'c1'))!.state).toEqual({ n: 1 });
    // The same person in another chat has a draft of their own.
    await store.create('u2', 'c2', 'petition', { n: 3 }, NOW, DAY);
  });

  test('a save lands only on the version it read; a stale one changes nothing', async () => {
    const d = await store.create('u3', 'c1', 'petition', { step: 1 }, NOW, DAY);
    const later = new Date(NOW.getTime() + 3600_000);
    const saved = await store.save(d, { step: 2 }, later, DAY);
    expect(saved).toMatchObject({ version: 2, state: { step: 2 } });
    expect(await store.save(d, { step: 'stale' }, later, DAY)).toBeNull();
    const now = await store.get('u3', 'c1');
    expect(now).toMatchObject({ version: 2, state: { step: 2 } });
    expect(now!.expiresAt.toISOString()).toBe('2026-03-11T07:20:00.000Z');
  });

  test('of ten turns racing on one version, exactly one saves', async () => {
    const d = await store.create('u4', 'c1', 'petition', { turn: 0 }, NOW, DAY);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.save(d, { turn: i + 1 }, NOW, DAY)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await store.get('u4', 'c1')).toMatchObject({ version: 2, state: winners[0]!.state });
  });

  test('remove honours the version; purge takes only drafts expired before the cut-off', async () => {
    const d = await store.create('u5', 'c1', 'petition', {}, NOW, DAY);
    expect(await store.remove('u5', 'c1', d.version + 1)).toBe(false);
    expect(await store.remove('u5', 'c1', d.version)).toBe(true);
    expect(await store.get('u5', 'c1')).toBeNull();

    await store.create('u6', 'old', 'petition', {}, new Date(NOW.getTime() - 10 * DAY), DAY);
    await store.create('u6', 'new', 'petition', {}, NOW, DAY);
    expect(await store.purgeExpired(NOW)).toBe(1);
    expect(await store.get('u6', 'old')).toBeNull();
    expect(await store.get('u6', 'new')).not.toBeNull();
  });
});

describe('the drafts-purge job', () => {
  test('deletes expired drafts (they hold personal data) and keeps live ones', async () => {
    const { freshDb: open, testDialects: dialects } = await import('../../helpers/db');
    const { makeTestApp } = await import('../../helpers/app');
    const { db, url } = await open(dialects()[0]);
    const app = await makeTestApp({ db, url });
    const store = new (await import('../../../src/platform/forms/draft-store')).DraftStore(db);
    const t0 = new Date('2026-03-02T02:00:00Z');
    await store.create('a', 'c', 'petition', { name: '甲' }, t0, 24 * 3600_000);
    await store.create('b', 'c', 'petition', { name: '乙' }, t0, 48 * 3600_000);
    const job = app.jobs.find((j) => j.name === 'drafts-purge')!;
    expect(await job.run(new Date(t0.getTime() + 30 * 3600_000))).toContain('1 份');
    expect((await db('form_drafts').select('user_id')).map((r: any) => r.user_id)).toEqual(['b']);
    await db.destroy();
  });
});
