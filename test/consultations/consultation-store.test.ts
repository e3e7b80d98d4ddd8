import type { Knex } from 'knex';
import { freshDb, testDialects } from '../helpers/db';
import { ConsultationStore, type NewMeeting } from '../../src/consultations/consultation-store';
import { formatMeetingNo } from '../../src/consultations/domain/consultation-labels';
import { nextCounterValue } from '../../src/platform/database/counter-store';

const now = new Date('2026-12-02T02:00:00Z');

function meeting(no: string, date: string): NewMeeting {
  return {
    no, kind: 'consultation', year: 2026, subject: '征地补偿', caseNo: null, disputeNo: null, date, slot: 'pm',
    startTime: '14:30', endTime: '17:30', place: '三楼会议室', thirdParties: [], organiserId: 'ou_staff',
  };
}

describe.each(testDialects({ galera: true }))('consultation store on $name', (dialect) => {
  let db: Knex;
  beforeAll(async () => { db = (await freshDb(dialect)).db; });
  afterAll(async () => { await db.destroy(); });

  it('numbers meetings HS2026-001, HS2026-002 and counts them in consultationFigures', async () => {
    const store = new ConsultationStore(db);
    const nos: string[] = [];
    for (const date of ['2026-12-08', '2026-12-10']) {
      await db.transaction(async (trx) => {
        const no = formatMeetingNo(2026, await nextCounterValue(trx, 'consultation:2026'));
        const id = await store.insertMeeting(trx, meeting(no, date), now);
        await store.insertTasks(trx, id, [{ ownerKind: 'unit', owner: '县自然资源局', content: '完成测量', dueDate: '2026-12-20' }], now);
        nos.push(no);
      });
    }
    expect(nos).toEqual(['HS2026-001', 'HS2026-002']);
    expect((await store.byNo('HS2026-002'))?.place).toBe('三楼会议室');
    const first = (await store.byNo('HS2026-001'))!;
    await db.transaction((trx) => store.recordMinutes(trx, first.id, '由县自然资源局牵头复核', 'ou_staff', now));
    const [task] = await store.tasksOf([first.id]);
    await db.transaction((trx) => store.markTaskDone(trx, task.id, 'ou_unit', null, now));
    expect(await store.figures('2026-12-01', '2026-12-31')).toEqual({ held: 1, scheduled: 2, tasks: 2, tasksDone: 1 });
    expect(await store.figures('2026-12-09', '2026-12-31')).toEqual({ held: 0, scheduled: 1, tasks: 1, tasksDone: 0 });
  });
});
