import type { Knex } from 'knex';
import type { App } from '../../src/app';
import { shanghaiInstant } from '../../src/platform/calendar/domain';
import { PROVISIONAL_NOTE } from '../../src/cases/domain/case-deadlines';
import { CaseService } from '../../src/cases/case-service';
import { FeedDeadlineQueries } from '../../src/cases';
import { freshDb, testDialects } from '../helpers/db';
import { addUser, makeTestApp, readable, say } from '../helpers/app';
import { addCase, featuresNamed, handling, holidayFile, holidayFileAt, HOLIDAYS_2027, openDeadlines, runImport } from './holiday-import-fixtures';

describe.each(testDialects())('open deadlines follow a holiday import ($name)', (dialect) => {
  let db: Knex;
  let app: App;
  let clock: Date;

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    db = fresh.db;
    clock = shanghaiInstant('2026-12-20', '10:00');
    app = await makeTestApp({ db, url: fresh.url, now: () => clock });
    await addUser(app, 'staff-1', 'staff', { name: '张晓燕' });
  });
  afterEach(async () => {
    await db.destroy();
  });

  const cases = () => featuresNamed(app, ['cases']);

  /** Open cases around 元旦 and 春节 2027, counted while 2027 was unknown (weekends only). */
  async function seed2027(): Promise<void> {
    clock = shanghaiInstant('2026-12-10', '10:00');
    await addCase(app.core, '2026-000101', handling('2026-11-02')); // +60 = 2027-01-01 (Fri)
    await addCase(app.core, '2026-000102', handling('2026-11-06')); // +60 = 2027-01-05 (Tue)
    await addCase(app.core, '2026-000103', { status: 'registered', receivedDate: '2026-12-24' }); // +15 = 2027-01-08
    await addCase(app.core, '2026-000104', handling('2026-12-10')); // +60 = 2027-02-08 (Mon)
    await addCase(app.core, '2026-000105', handling('2026-09-01')); // +60 = 2026-10-31 (Sat) → 11-02: known, final
    // Concluded: the petitioner's 复查 window (30 days from the reply) is an open deadline too.
    await addCase(app.core, '2026-000106', { ...handling('2026-10-01'), status: 'concluded', repliedDate: '2026-12-02' }); // → 2027-01-01
    clock = shanghaiInstant('2026-12-20', '10:00');
  }

  test('the 2027 import: 元旦 and 春节 move the deadlines on them, every 2027 deadline becomes final, one audit entry per move', async () => {
    await seed2027();
    expect(await openDeadlines(app.core)).toEqual({
      '2026-000101': [['conclusion', '2027-01-01', true]],
      '2026-000102': [['conclusion', '2027-01-05', true]],
      '2026-000103': [['decision', '2027-01-08', true]],
      '2026-000104': [['conclusion', '2027-02-08', true]],
      '2026-000105': [['conclusion', '2026-11-02', false]],
      '2026-000106': [['review_request', '2027-01-01', true]],
    });

    const r = await runImport(app.core, cases(), holidayFileAt(HOLIDAYS_2027));
    const [section] = r.sections;
    expect(section.title).toBe('办理期限');
    // 2026-000105 is neither provisional nor near a changed day: not read.
    expect(section.counts).toEqual({ checked: 5, moved: 3, madeFinal: 5, cases: 5 });
    expect(section.lines).toEqual([
      '检查可能受影响的办理期限 5 条：调整日期 3 条，由暂定转为正式 5 条，涉及案件 5 件。',
      '2026-000101 办结期限 2027-01-01 → 2027-01-04（1月1日为元旦假日，顺延至1月4日）',
      '2026-000106 申请复查期限 2027-01-01 → 2027-01-04（1月1日为元旦假日，顺延至1月4日）',
      '2026-000104 办结期限 2027-02-08 → 2027-02-14（2月8日为春节假日，顺延至2月14日）',
    ]);
    expect(await openDeadlines(app.core)).toEqual({
      '2026-000101': [['conclusion', '2027-01-04', false]],
      '2026-000102': [['conclusion', '2027-01-05', false]],
      '2026-000103': [['decision', '2027-01-08', false]],
      '2026-000104': [['conclusion', '2027-02-14', false]],
      '2026-000105': [['conclusion', '2026-11-02', false]],
      '2026-000106': [['review_request', '2027-01-04', false]],
    });

    // The case's history: who (the system), when, what, why.
    const svc = new CaseService(app.core);
    const c101 = (await svc.getByNo('2026-000101'))!;
    const moved = (await svc.auditTrail(c101.id)).filter((e) => e.action === 'deadline_moved');
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({
      actorId: 'system', fromStatus: 'handling', toStatus: 'handling', at: clock,
      reason: '2027 年节假日安排导入：1月1日为元旦假日，顺延至1月4日',
      data: { kind: 'conclusion', from: '2027-01-01', to: '2027-01-04', reason: '2027 年节假日安排导入：1月1日为元旦假日，顺延至1月4日' },
    });
    expect(await db('case_events').where({ action: 'deadline_moved' })).toHaveLength(3);
  });

  test('我的待办, the case and the unit’s deadline feed stop saying 暂定 after the import', async () => {
    await seed2027();
    const before = readable(await say(app, 'staff-1', '我的待办'));
    expect(before).toContain('2026-000103');
    expect(before).toContain(PROVISIONAL_NOTE);
    const feed = new FeedDeadlineQueries(db);
    expect((await feed.list('县自然资源局')).find((d) => d.caseNo === '2026-000101')).toMatchObject({ dueDate: '2027-01-01', provisional: true });

    await runImport(app.core, cases(), holidayFileAt(HOLIDAYS_2027));

    const after = readable(await say(app, 'staff-1', '我的待办'));
    expect(after).toContain('2026-000103');
    expect(after).not.toContain(PROVISIONAL_NOTE);
    const card = readable(await say(app, 'staff-1', '查询 2026-000101'));
    expect(card).toContain('2027年1月4日');
    expect(card).not.toContain(PROVISIONAL_NOTE);
    expect((await feed.list('县自然资源局')).find((d) => d.caseNo === '2026-000101')).toMatchObject({ dueDate: '2027-01-04', provisional: false });
  });

  test('a second import of the same file changes nothing; a dry run reports the same and saves nothing', async () => {
    await seed2027();
    const dry = await runImport(app.core, cases(), holidayFileAt(HOLIDAYS_2027), true);
    expect(dry.sections[0].counts).toEqual({ checked: 5, moved: 3, madeFinal: 5, cases: 5 });
    expect((await openDeadlines(app.core))['2026-000101']).toEqual([['conclusion', '2027-01-01', true]]);
    expect(await db('case_events').where({ action: 'deadline_moved' })).toHaveLength(0);

    const real = await runImport(app.core, cases(), holidayFileAt(HOLIDAYS_2027));
    expect(real.sections).toEqual(dry.sections.map((s) => ({ ...s })));
    const again = await runImport(app.core, cases(), holidayFileAt(HOLIDAYS_2027));
    expect(again.sections[0].counts).toEqual({ checked: 0, moved: 0, madeFinal: 0, cases: 0 });
    expect(again.sections[0].lines).toEqual(['没有可能受这次节假日安排影响的办理期限。']);
    expect(await db('case_events').where({ action: 'deadline_moved' })).toHaveLength(3);
  });

  test('a correction inside a known year: Monday 2026-06-01 declared a holiday moves what ended that day and an extension counted from it', async () => {
    clock = shanghaiInstant('2026-04-20', '10:00');
    await addCase(app.core, '2026-000201', handling('2026-04-02')); // +60 = 06-01 (Mon): moves
    await addCase(app.core, '2026-000202', handling('2026-04-02', 10)); // 06-01 + 10 = 06-11 (Thu): the base moves, so it does
    await addCase(app.core, '2026-000203', handling('2026-04-12')); // +60 = 06-11, no extension: not read
    await addCase(app.core, '2026-000204', { status: 'registered', receivedDate: '2026-05-18' }); // +15 = 06-02 (Tue): not read
    await addCase(app.core, '2026-000205', { status: 'registered', receivedDate: '2026-05-14' }); // +15 = 05-29 (Fri): not read
    clock = shanghaiInstant('2026-05-20', '10:00');

    const r = await runImport(app.core, cases(), holidayFile({ holidays: ['2026-06-01'] }));
    expect(r.sections[0].counts).toEqual({ checked: 2, moved: 2, madeFinal: 0, cases: 2 });
    expect(r.sections[0].lines.slice(1)).toEqual([
      '2026-000201 办结期限 2026-06-01 → 2026-06-02（6月1日为法定节假日，顺延至6月2日）',
      '2026-000202 办结期限 2026-06-11 → 2026-06-12（期限计算所涉日期的节假日安排有变，顺延至6月12日）',
    ]);
    const d = await openDeadlines(app.core);
    expect(d['2026-000203']).toEqual([['conclusion', '2026-06-11', false]]);
    expect(d['2026-000204']).toEqual([['decision', '2026-06-02', false]]);
    expect(d['2026-000205']).toEqual([['decision', '2026-05-29', false]]);
    const [e] = await db('case_events').where({ action: 'deadline_moved' }).orderBy('id');
    expect(e.reason).toBe('节假日安排更正：6月1日为法定节假日，顺延至6月2日');
  });

  test('a Saturday made a working day (调休) brings a deadline that rolled over it back; the window is that Saturday to Monday', async () => {
    clock = shanghaiInstant('2026-05-10', '10:00');
    await addCase(app.core, '2026-000301', { status: 'registered', receivedDate: '2026-05-14' }); // 05-29 (Fri): not read
    await addCase(app.core, '2026-000302', { status: 'registered', receivedDate: '2026-05-15' }); // 05-30 (Sat) → 06-01: moves back
    await addCase(app.core, '2026-000303', { status: 'registered', receivedDate: '2026-05-17' }); // 06-01 (Mon): read, stays
    await addCase(app.core, '2026-000304', { status: 'registered', receivedDate: '2026-05-18' }); // 06-02 (Tue): not read
    clock = shanghaiInstant('2026-05-20', '10:00');

    const r = await runImport(app.core, cases(), holidayFile({ workdays: [{ date: '2026-05-30', name: '调休' }] }));
    expect(r.sections[0].counts).toEqual({ checked: 2, moved: 1, madeFinal: 0, cases: 1 });
    expect(r.sections[0].lines[1]).toBe('2026-000302 受理/交办期限 2026-06-01 → 2026-05-30（5月30日为调休上班日，期限提前至5月30日）');
    const d = await openDeadlines(app.core);
    expect([d['2026-000301'], d['2026-000302'], d['2026-000303'], d['2026-000304']].map((x) => x[0][1])).toEqual([
      '2026-05-29', '2026-05-30', '2026-06-01', '2026-06-02',
    ]);
  });

  test('a provisional date left stale by an earlier import is corrected too', async () => {
    await seed2027();
    // 2027 was entered before this code existed: the calendar knows it, the stored dates do not.
    await runImport(app.core, [], holidayFileAt(HOLIDAYS_2027));
    expect((await openDeadlines(app.core))['2026-000101']).toEqual([['conclusion', '2027-01-01', true]]);
    // Any later import (here a small correction elsewhere) brings them in line.
    const r = await runImport(app.core, cases(), holidayFile({ holidays: ['2026-06-01'] }));
    expect(r.sections[0].counts).toMatchObject({ checked: 5, moved: 3, madeFinal: 5 });
    expect((await openDeadlines(app.core))['2026-000101']).toEqual([['conclusion', '2027-01-04', false]]);
  });
});
