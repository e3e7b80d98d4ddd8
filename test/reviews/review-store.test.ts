import type { Knex } from 'knex';
import { ReviewStore } from '../../src/reviews/review-store';
import { isDuplicateKey } from '../../src/platform/database/duplicate-key';
import { freshDb, testDialects } from '../helpers/db';
import { concludedCase } from './fixtures';

describe.each(testDialects({ galera: true }))('the reviews store ($name)', (dialect) => {
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

  test('a case is in at most one review: the database refuses a second while the first is open and after it is closed', async () => {
    const caseId = await concludedCase(db, '2026-000101', '县自然资源局', '2026-08-01');
    const first = await open(caseId);
    expect(first.reviewNo).toBe('PC2026-0001');
    const second = await open(caseId).then(() => null, (err: unknown) => err);
    expect(isDuplicateKey(second)).toBe(true);
    expect(await store.openForCase(caseId)).toMatchObject({ reviewNo: 'PC2026-0001' });
    await db.transaction((trx) => store.update(trx, first.id, 'pending', { status: 'ok', problems: [], reviewerId: 'staff-1', reviewedDate: '2026-10-15', closedBy: 'staff-1' }, now));
    expect(await store.openForCase(caseId)).toBeNull();
    // Closed (规范) it is still the case's review: a case is reviewed once.
    expect(isDuplicateKey(await open(caseId).then(() => null, (err: unknown) => err))).toBe(true);
    expect(await store.liveForCase(caseId)).toMatchObject({ reviewNo: 'PC2026-0001', status: 'ok' });
    // The failed inserts took no number: the next review is PC2026-0002.
    expect((await open(await concludedCase(db, '2026-000102', '县自然资源局', '2026-08-01'))).reviewNo).toBe('PC2026-0002');
    expect(await store.reviewedCaseIds([caseId, 999])).toEqual(new Set([caseId]));
  });

  test('an update under a stale status changes nothing (compare-and-set)', async () => {
    const r = await open(await concludedCase(db, '2026-000101', '县自然资源局', '2026-08-01'));
    expect(await db.transaction((trx) => store.update(trx, r.id, 'rectifying', { status: 'fixed', closedBy: 'x' }, now))).toBe(false);
    expect((await store.byId(r.id))!.status).toBe('pending');
  });

  test('cancelling a sample is a compare-and-set: a review recorded first makes it change nothing; the pending ones are freed', async () => {
    const a = await concludedCase(db, '2026-000101', '县自然资源局', '2026-08-01');
    const b = await concludedCase(db, '2026-000102', '县自然资源局', '2026-08-02');
    const sampleId = await db.transaction((trx) => store.insertSample(trx, { periodLabel: '2026年第三季度', from: '2026-07-01', to: '2026-09-30', asked: '2件', seed: 's', population: 2, drawn: 2, by: 'dir-1' }, now));
    const draw = (caseId: number, caseNo: string) => db.transaction((trx) => store.insertReview(trx, { sampleId, caseId, caseNo, caseUnit: '县自然资源局', concludedDate: '2026-08-01', drawnDate: '2026-10-15' }, now));
    const ra = await draw(a, '2026-000101');
    await draw(b, '2026-000102');
    await db.transaction((trx) => store.update(trx, ra.id, 'pending', { status: 'ok', problems: [], reviewerId: 'staff-1', reviewedDate: '2026-10-15', closedBy: 'staff-1' }, now));
    // The caller rolls back on false: nothing of the attempt is kept.
    await expect(db.transaction(async (trx) => {
      if (!(await store.cancelSample(trx, sampleId, 'dir-1', now))) throw new Error('refused');
    })).rejects.toThrow('refused');
    expect((await store.ofSample(sampleId)).map((r) => r.status)).toEqual(['ok', 'pending']);
    expect((await store.sampleById(sampleId))!.cancelledBy).toBeNull();

    const other = await db.transaction((trx) => store.insertSample(trx, { periodLabel: 'x', from: '2026-07-01', to: '2026-09-30', asked: '1件', seed: 's', population: 1, drawn: 1, by: 'dir-1' }, now));
    const c = await concludedCase(db, '2026-000103', '县自然资源局', '2026-08-03');
    const rc = await db.transaction((trx) => store.insertReview(trx, { sampleId: other, caseId: c, caseNo: '2026-000103', caseUnit: '县自然资源局', concludedDate: '2026-08-03', drawnDate: '2026-10-15' }, now));
    expect(await db.transaction((trx) => store.cancelSample(trx, other, 'dir-1', now))).toBe(true);
    expect(await db.transaction((trx) => store.cancelSample(trx, other, 'dir-1', now))).toBe(false); // once
    expect((await store.byId(rc.id))!.status).toBe('cancelled');
    expect(await store.openForCase(c)).toBeNull();
    expect(await store.reviewedCaseIds([c])).toEqual(new Set()); // may be drawn again
    expect((await store.list(null)).map((r) => r.reviewNo)).not.toContain(rc.reviewNo);
  });

  test('the 整改 due dates the reminder scan reads: waiting for the unit, due on or before the horizon', async () => {
    const ids: number[] = [];
    for (const [i, due] of [['1', '2026-10-20'], ['2', '2026-11-30'], ['3', '2026-10-21']] as const) {
      const caseId = await concludedCase(db, `2026-00010${i}`, '县自然资源局', '2026-08-01');
      const r = await db.transaction((trx) => store.insertReview(trx, { sampleId: null, caseId, caseNo: `2026-00010${i}`, caseUnit: '县自然资源局', concludedDate: '2026-08-01', drawnDate: '2026-10-15' }, now));
      await db.transaction((trx) => store.update(trx, r.id, 'pending', { status: 'rectifying', problems: ['材料不全'], fixUnit: '县自然资源局', fixDueDate: due, reviewerId: 'staff-1', reviewedDate: '2026-10-15' }, now));
      ids.push(r.id);
    }
    await db.transaction((trx) => store.update(trx, ids[2], 'rectifying', { status: 'reported', rectification: '已补齐', reportedBy: 'unit-zr' }, now));
    expect((await store.dueRectifications('2026-10-31')).map((r) => [r.id, r.fixDueDate])).toEqual([[ids[0], '2026-10-20']]);
  });
});
