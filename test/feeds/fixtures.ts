import type { Knex } from 'knex';
import ICAL from 'ical.js';

/**
 * A small fictional county for the feed tests, written straight into the tables the roster and
 * intake features own. Every name and number here is made up.
 */
export const T0 = '2026-01-10 02:00:00.000';
/** "Today" in the tests: 2026-02-20 10:00 Shanghai. */
export const NOW = new Date('2026-02-20T02:00:00Z');

export const PETITIONER = { name: '张三丰', idNumber: '441823199001016012', phone: '13812345678' };
export const INTERNAL_NOTE = `内部备注：信访人${PETITIONER.name}（${PETITIONER.idNumber}，${PETITIONER.phone}）情绪激动，需安排民警`;

export const LEADERS = [
  { id: 'ld-wang', name: '王立新', level: 'county', title: '县委副书记', towns: '[]', sort_order: 1, active: true },
  { id: 'ld-chen', name: '陈晓峰', level: 'county', title: '副县长', towns: '[]', sort_order: 2, active: true },
  { id: 'ld-liu', name: '刘桂兰', level: 'town', title: '七拱镇党委书记', towns: '["七拱镇"]', sort_order: 10, active: true },
];

export const VENUES = [
  { id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null, address: '阳城镇人民路8号' },
  { id: 'qigong', name: '七拱镇综治中心', kind: 'town', town: '七拱镇', address: '七拱镇圩镇中路1号' },
];

export const UID = {
  s1: 'sess-2026-0001@xinfang-bot',
  s2: 'sess-2026-0002@xinfang-bot',
  s3: 'sess-2026-0003@xinfang-bot',
  old: 'sess-2025-0100@xinfang-bot',
  s5: 'sess-2026-0005@xinfang-bot',
};

interface SessionFixture {
  uid: string;
  date: string;
  slot: string;
  start: string;
  end: string;
  type: string;
  venue: string;
  leaders: string[];
  status?: string;
  sequence?: number;
  accompany?: string[];
  focus?: string | null;
  capacity?: number | null;
  note?: string | null;
  updatedAt?: string;
}

export const SESSIONS: SessionFixture[] = [
  {
    uid: UID.s1, date: '2026-03-02', slot: '上午', start: '09:00', end: '12:00', type: '接访', venue: 'county-center',
    leaders: ['ld-chen', 'ld-wang'], accompany: ['县信访局', '县自然资源局'], focus: '征地拆迁补偿', capacity: 20, note: INTERNAL_NOTE,
  },
  {
    uid: UID.s2, date: '2026-03-05', slot: '下午', start: '14:30', end: '17:30', type: '下访', venue: 'qigong',
    leaders: ['ld-liu'], status: 'confirmed', accompany: ['七拱镇人民政府'], focus: '农村土地承包',
  },
  {
    uid: UID.s3, date: '2026-03-10', slot: '全天', start: '08:30', end: '17:30', type: '接访', venue: 'county-center',
    leaders: ['ld-wang'], status: 'cancelled', sequence: 1, updatedAt: '2026-02-15 01:00:00.000', note: '因会议取消',
  },
  { uid: UID.old, date: '2025-06-02', slot: '上午', start: '09:00', end: '12:00', type: '接访', venue: 'county-center', leaders: ['ld-wang'], status: 'held' },
  { uid: UID.s5, date: '2026-04-01', slot: '上午', start: '09:00', end: '11:30', type: '约访', venue: 'county-center', leaders: ['ld-chen'] },
];

export async function seedRoster(db: Knex): Promise<Record<string, number>> {
  await db('leaders').insert(LEADERS);
  await db('venues').insert(VENUES);
  const ids: Record<string, number> = {};
  for (const s of SESSIONS) {
    const [id] = await db('sessions').insert({
      uid: s.uid, date: s.date, slot: s.slot, start_time: s.start, end_time: s.end, type: s.type, venue_id: s.venue,
      accompany_units: JSON.stringify(s.accompany ?? []), focus: s.focus ?? null, capacity: s.capacity ?? null,
      status: s.status ?? 'planned', sequence: s.sequence ?? 0, plan_year: Number(s.date.slice(0, 4)), note: s.note ?? null,
      created_at: T0, updated_at: s.updatedAt ?? T0,
    });
    ids[s.uid] = Number(id);
    await db('session_leaders').insert(s.leaders.map((l) => ({ session_id: id, leader_id: l })));
  }
  return ids;
}

export async function seedCases(db: Knex): Promise<void> {
  const base = {
    year: 2026, headcount: 1, is_group: false, channel: '来访', town: '七拱镇', purpose: '求决',
    received_at: T0, received_date: '2026-01-10', registered_by: 'staff-1', created_at: T0, updated_at: T0,
  };
  const [c1] = await db('cases').insert({
    ...base, case_no: '2026-000001', status: 'handling', name: PETITIONER.name, id_number: PETITIONER.idNumber,
    phone: PETITIONER.phone, address: '七拱镇某村', category: '自然资源', content: `${PETITIONER.name}反映承包地被占用`, unit: '县自然资源局',
  });
  const [c2] = await db('cases').insert({
    ...base, case_no: '2026-000002', status: 'handling', name: '李四海', category: '城乡建设', content: '小区违建', unit: '县住房和城乡建设局',
  });
  const dl = (caseId: number, kind: string, due: string, status: string, unit: string) => ({
    case_id: caseId, kind, due_date: due, status, unit, provisional: false, created_at: T0, updated_at: T0,
  });
  await db('case_deadlines').insert([
    dl(Number(c1), 'conclusion', '2026-04-10', 'open', '县自然资源局'),
    dl(Number(c1), 'decision', '2026-01-26', 'met', '县自然资源局'),
    dl(Number(c2), 'conclusion', '2026-04-12', 'open', '县住房和城乡建设局'),
  ]);
}

/** An .ics parsed by ical.js, an independent parser, with its VTIMEZONE registered. */
export function parseIcs(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text));
  for (const tz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = comp.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description ?? '',
      location: e.location ?? '',
      sequence: e.sequence,
      start: e.startDate,
      end: e.endDate,
      startUtc: e.startDate.toJSDate().toISOString(),
      endUtc: e.endDate.toJSDate().toISOString(),
      status: String(v.getFirstPropertyValue('status') ?? ''),
      stamp: String(v.getFirstPropertyValue('dtstamp') ?? ''),
      url: String(v.getFirstPropertyValue('url') ?? ''),
      tzid: e.startDate.isDate ? null : e.startDate.zone?.tzid ?? null,
    };
  });
  return { comp, events, byUid: new Map(events.map((e) => [e.uid, e])) };
}
