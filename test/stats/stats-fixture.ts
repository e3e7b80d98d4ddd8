import type { Knex } from 'knex';
import { toDbTime } from '../../src/platform/database/time';

/**
 * A hand-made county for the statistics of 2026年第三季度 (1 July – 30 September), read on
 * 20 September 2026 (so some deadlines of the quarter have not passed yet). The expected figures,
 * worked out by hand from the rows below, are in stats-figures.test.ts.
 */
export const FIXTURE_NOW = new Date('2026-09-20T02:00:00Z'); // 20 September 2026, 10:00 in Shanghai

interface FixtureCase {
  key: string;
  received: string;
  status: string;
  channel?: string;
  category?: string;
  town?: string;
  purpose?: string | null;
  group?: boolean;
  anonymous?: boolean;
  decisionDue: string;
  decided?: string;
  conclusionDue?: string;
  replied?: string;
  extensionDays?: number;
  /** When 挂牌督办 was recorded (UTC instant), for a supervised case. */
  supervisedAt?: string;
}

const CASES: FixtureCase[] = [
  // On the quarter's first day; accepted and concluded on time.
  { key: 'C1', received: '2026-07-01', status: 'concluded', purpose: '求决', decisionDue: '2026-07-16', decided: '2026-07-05', conclusionDue: '2026-09-14', replied: '2026-09-10' },
  // The day before the quarter: not registered in it, but its late decision fell due in it; its conclusion is still running.
  { key: 'C2', received: '2026-06-30', status: 'handling', decisionDue: '2026-07-15', decided: '2026-07-20', conclusionDue: '2026-09-30' },
  // Concluded after an extension: 60 days would have ended on 20 August, the extension moved it to 15 September.
  { key: 'C3', received: '2026-07-10', status: 'concluded', purpose: '求决', decisionDue: '2026-07-25', decided: '2026-07-12', conclusionDue: '2026-09-15', replied: '2026-09-12', extensionDays: 26 },
  // Concluded late.
  { key: 'C4', received: '2026-07-15', status: 'concluded', channel: '来信', category: '农村农业', town: '七拱镇', purpose: '申诉', decisionDue: '2026-07-30', decided: '2026-07-16', conclusionDue: '2026-09-01', replied: '2026-09-05' },
  // A group visit never decided: its decision deadline passed (against, and overdue now).
  { key: 'C5', received: '2026-08-01', status: 'registered', group: true, decisionDue: '2026-08-15' },
  // Anonymous, undecided, its deadline not passed yet: counts neither way.
  { key: 'C6', received: '2026-09-10', status: 'registered', channel: '电话', town: '青莲镇', anonymous: true, decisionDue: '2026-09-25' },
  // Under 挂牌督办 since 10 August, not concluded yet; a repeat of C1.
  { key: 'C7', received: '2026-08-05', status: 'handling', channel: '网上信访', purpose: '求决', decisionDue: '2026-08-20', decided: '2026-08-06', conclusionDue: '2026-10-05', supervisedAt: '2026-08-10T02:00:00Z' },
  // Registered in May, supervised since 1 June, concluded on time on 8 July.
  { key: 'C8', received: '2026-05-01', status: 'concluded', decisionDue: '2026-05-15', decided: '2026-05-02', conclusionDue: '2026-07-10', replied: '2026-07-08', supervisedAt: '2026-06-01T01:00:00Z' },
  // Supervised, concluded in June, before the quarter.
  { key: 'C9', received: '2026-04-01', status: 'concluded', decisionDue: '2026-04-15', decided: '2026-04-02', conclusionDue: '2026-06-30', replied: '2026-06-20', supervisedAt: '2026-05-01T01:00:00Z' },
  // Accepted in May, its conclusion deadline (31 August) passed unmet: against, and overdue now.
  { key: 'C10', received: '2026-05-10', status: 'handling', decisionDue: '2026-05-25', decided: '2026-05-11', conclusionDue: '2026-08-31' },
];

const t = toDbTime(new Date('2026-04-01T00:00:00Z'));

async function insertCases(db: Knex): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  let n = 0;
  for (const c of CASES) {
    n++;
    const [id] = await db('cases').insert({
      case_no: `2026-${String(n).padStart(6, '0')}`, year: 2026, status: c.status, name: c.anonymous ? '匿名' : `测试人${n}`, headcount: c.group ? 8 : 1,
      is_group: Boolean(c.group), anonymous: Boolean(c.anonymous), channel: c.channel ?? '来访', town: c.town ?? '城关镇', category: c.category ?? '城乡建设',
      purpose: c.purpose ?? null, content: '测试内容', received_at: t, received_date: c.received, decided_date: c.decided ?? null,
      accepted_date: c.decided ?? null, replied_date: c.replied ?? null, extension_days: c.extensionDays ?? null, supervised: Boolean(c.supervisedAt),
      registered_by: 'staff1', created_at: t, updated_at: t,
    });
    ids[c.key] = Number(id);
    await db('case_deadlines').insert({ case_id: Number(id), kind: 'decision', due_date: c.decisionDue, status: c.decided ? 'met' : 'open', met_date: c.decided ?? null, created_at: t, updated_at: t });
    if (c.conclusionDue) {
      await db('case_deadlines').insert({ case_id: Number(id), kind: 'conclusion', due_date: c.conclusionDue, status: c.replied ? 'met' : 'open', met_date: c.replied ?? null, created_at: t, updated_at: t });
    }
    if (c.supervisedAt) {
      await db('case_events').insert({ case_id: Number(id), action: 'supervise', from_status: c.status, to_status: c.status, actor_id: 'staff1', at: toDbTime(new Date(c.supervisedAt)) });
    }
  }
  await db('case_links').insert({ case_id: ids.C7, linked_case_id: ids.C1, reason: 'id_number' });
  return ids;
}

async function insertLedgers(db: Knex, ids: Record<string, number>): Promise<void> {
  const dispute = (no: string, found: string, status: string, target: string, closed: string | null) => ({
    dispute_no: no, year: 2026, screening: '定期排查', source: '网格', found_date: found, town: '城关镇', category: '土地纠纷', summary: '测试纠纷',
    parties: '[]', risk: '低', unit: '城关镇', owner: '张三', target_date: target, status, closed_date: closed, registered_by: 'staff1', created_at: t, updated_at: t,
  });
  await db('disputes').insert([
    dispute('PC-1', '2026-07-05', 'resolved', '2026-08-05', '2026-08-01'),
    dispute('PC-2', '2026-08-10', 'escalated', '2026-09-10', '2026-08-20'),
    dispute('PC-3', '2026-09-01', 'open', '2026-09-10', null), // past its target
    dispute('PC-4', '2026-09-15', 'open', '2026-10-15', null),
    dispute('PC-5', '2026-06-15', 'resolved', '2026-07-15', '2026-06-30'), // found in June
  ]);
  const letter = (number: string, kind: string, seq: number, issued: string) => ({
    number, kind, year: 2026, seq, unit: '县住建局', case_nos: '[]', issued_date: issued, issued_by: 'staff1', created_at: t,
  });
  await db('letters').insert([
    letter('提〔2026〕1号', '提醒函', 1, '2026-06-30'),
    letter('提〔2026〕2号', '提醒函', 2, '2026-07-03'),
    letter('提〔2026〕3号', '提醒函', 3, '2026-09-01'),
    letter('督〔2026〕1号', '督办函', 1, '2026-08-08'),
  ]);
  const review = (no: string, caseKey: string, status: string, problems: string[] | null, reviewed: string | null) => ({
    review_no: no, case_id: ids[caseKey], case_no: `2026-${caseKey}`, case_unit: '县住建局', status, problems: problems ? JSON.stringify(problems) : null,
    reviewed_date: reviewed, drawn_date: '2026-07-01', created_at: t, updated_at: t,
  });
  await db('reviews').insert([
    review('PC2026-0001', 'C1', 'ok', [], '2026-08-01'),
    review('PC2026-0002', 'C3', 'rectifying', ['告知书未送达', '答复意见缺依据'], '2026-08-15'),
    review('PC2026-0003', 'C4', 'fixed', ['超期办结'], '2026-09-01'),
    review('PC2026-0004', 'C8', 'pending', null, null),
    review('PC2026-0005', 'C9', 'ok', [], '2026-06-10'),
  ]);
  await db('venues').insert({ id: 'center', name: '县信访接待中心', kind: 'center', town: '城关镇' });
  const session = (uid: string, date: string, status: string, outcome: object | null) => ({
    uid, date, slot: '上午', start_time: '09:00', end_time: '12:00', type: '接访', venue_id: 'center', status, plan_year: 2026,
    outcome: outcome ? JSON.stringify(outcome) : null, created_at: t, updated_at: t,
  });
  await db('sessions').insert([
    session('s1', '2026-07-08', 'held', { batches: 3, persons: 5, caseNos: [], note: null, recordedBy: 'staff1', recordedAt: '2026-07-08T05:00:00Z' }),
    session('s2', '2026-08-12', 'held', { batches: 2, persons: 7, caseNos: [], note: null, recordedBy: 'staff1', recordedAt: '2026-08-12T05:00:00Z' }),
    session('s3', '2026-09-28', 'planned', null),
    session('s4', '2026-09-02', 'cancelled', null),
    session('s5', '2026-06-10', 'held', { batches: 9, persons: 9, caseNos: [], note: null, recordedBy: 'staff1', recordedAt: '2026-06-10T05:00:00Z' }),
  ]);
}

/** Writes the fixture into a migrated database. */
export async function seedStatsFixture(db: Knex): Promise<void> {
  await insertLedgers(db, await insertCases(db));
}
