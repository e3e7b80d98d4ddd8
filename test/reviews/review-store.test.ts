import type { Knex } from 'knex';
import { ReviewStore } from '../../src/reviews/review-store';
import { isDuplicateKey } from '../../src/platform/database/duplicate-key';
import { freshDb, testDialects } from '../helpers/db';
import { concludedCase } from './fixtures';

describe.each(testDialects())('the reviews store ($name)', (dialect) => {
  let db: Knex;
  let store: ReviewStore;
  const now = new Date('2026-10-15T02:00:00Z');
  beforeEach(async () => {
    ({ db } = await freshDb(dialect));
    store = new ReviewStore(db);
  });
  afterEach(async () => {
    await db.destroy();
  });

  const open = (caseId: number) => db.transaction((trx) => store.insertReview(trx, { sampleId: null, caseId, caseNo: '2026-000101', caseUnit: '县自然资源局', concludedDate: '2026-08-01', drawnDate: '2026-10-15' }, now));

  test('a case is in at most one open review: the database refuses a second, and takes a new one once the first is closed', async () => {
    const caseId = await concludedCase(db, '2026-000101', '县自然资源局', '2026-08-01');
    const first = await open(caseId);
    expect(first.reviewNo).toBe('PC2026-0001');
    const second = await open(caseId).then(() => null, (err: unknown) => err);
    expect(isDuplicateKey(second)).toBe(true);
    expect(await store.openForCase(caseId)).toMatchObject({ reviewNo: 'PC2026-0001' });
    await db.transaction((trx) => store.update(trx, first.id, 'pending', { status: 'ok', problems: [], reviewerId: 'staff-1', reviewedDate: '2026-10-15', closedBy: 'staff-1' }, now));
    expect(await store.openForCase(caseId)).toBeNull();
    // The failed insert took no number: the numbers stay without gaps.
    expect((await open(caseId)).reviewNo).toBe('PC2026-0002');
    expect(await store.reviewedCaseIds([caseId, 999])).toEqual(new Set([caseId]));
  });

  test('an update under a stale status changes nothing (compare-and-set)', async () => {
    const r = await open(await concludedCase(db, '2026-000101', '县自然资源局', '2026-08-01'));
    expect(await db.transaction((trx) => store.update(trx, r.id, 'rectifying', { status: 'fixed', closedBy: 'x' }, now))).toBe(false);
    expect((await store.byId(r.id))!.status).toBe('pending');
  });
});
