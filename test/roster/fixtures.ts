import type { Knex } from 'knex';
import { toDbTime } from '../../src/platform/database/time';
import type { Core } from '../../src/platform/core/feature';
import type { RosterLeader, RosterVenue } from '../../src/roster/domain';
import { RosterStore } from '../../src/roster/roster-store';

/** Monday 2 March 2026, 10:00 in Shanghai: a working day. */
export const MONDAY = new Date('2026-03-02T02:00:00Z');

/** A small fictional county: 3 county leaders, two towns of 3 leaders, venues, groups, users. */
export const MINI_LEADERS: RosterLeader[] = [
  { id: 'cty1', name: '林启航', level: 'county', title: '县委书记', towns: ['阳城镇'], deputyId: 'cty2', sortOrder: 1, active: true },
  { id: 'cty2', name: '周庭远', level: 'county', title: '县长', towns: ['七拱镇'], deputyId: 'cty3', sortOrder: 2, active: true },
  { id: 'cty3', name: '黄思源', level: 'county', title: '常务副县长', towns: ['阳城镇'], deputyId: 'cty1', sortOrder: 3, active: true },
  { id: 'yc1', name: '黎嘉禾', level: 'town', title: '阳城镇党委书记', towns: ['阳城镇'], deputyId: 'yc2', sortOrder: 10, active: true },
  { id: 'yc2', name: '严子衿', level: 'town', title: '阳城镇镇长', towns: ['阳城镇'], deputyId: 'yc3', sortOrder: 11, active: true },
  { id: 'yc3', name: '温远帆', level: 'town', title: '阳城镇副镇长', towns: ['阳城镇'], deputyId: 'yc1', sortOrder: 12, active: true },
  { id: 'qg1', name: '卢可风', level: 'town', title: '七拱镇党委书记', towns: ['七拱镇'], deputyId: 'qg2', sortOrder: 20, active: true },
  { id: 'qg2', name: '范南乔', level: 'town', title: '七拱镇镇长', towns: ['七拱镇'], deputyId: 'qg3', sortOrder: 21, active: true },
  { id: 'qg3', name: '潘知秋', level: 'town', title: '七拱镇副镇长', towns: ['七拱镇'], deputyId: 'qg1', sortOrder: 22, active: true },
];

export const MINI_VENUES: RosterVenue[] = [
  { id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null, address: '县城人民路 88 号' },
  { id: 'zz-yangcheng', name: '阳城镇综治中心', kind: 'town', town: '阳城镇', address: '阳城镇政府大院' },
  { id: 'zz-qigong', name: '七拱镇综治中心', kind: 'town', town: '七拱镇', address: '七拱镇政府大院' },
];

export async function seedMiniCounty(core: Core): Promise<RosterStore> {
  const store = new RosterStore(core.db);
  for (const v of MINI_VENUES) await store.leaders.upsertVenue(v);
  for (const l of MINI_LEADERS) {
    await core.users.upsert({ id: l.id, name: l.name, role: 'leader', unit: null, town: l.towns[0], title: l.title });
    await store.leaders.upsertLeader(l);
  }
  await core.users.upsert({ id: 'admin', name: '信访局管理员', role: 'admin', unit: null, town: null, title: null });
  await core.users.upsert({ id: 'staff1', name: '温小禾', role: 'staff', unit: null, town: null, title: null });
  await core.users.upsert({ id: 'unit-zr', name: '石松年', role: 'unit', unit: '县自然资源局', town: null, title: null });
  await core.chats.upsert({ id: 'oc_bureau', name: '信访局工作群', unit: null, role: 'bureau', venueId: null });
  await core.chats.upsert({ id: 'oc_venue_center', name: '接待中心群', unit: null, role: 'venue', venueId: 'county-center' });
  await core.chats.upsert({ id: 'oc_venue_yc', name: '阳城综治中心群', unit: null, role: 'venue', venueId: 'zz-yangcheng' });
  await core.chats.upsert({ id: 'oc_venue_qg', name: '七拱综治中心群', unit: null, role: 'venue', venueId: 'zz-qigong' });
  return store;
}

let caseSeq = 0;

/** Inserts a case row as the case feature would have written it (the roster only reads cases). */
export async function insertCase(db: Knex, c: Partial<Record<string, unknown>> & { town: string }): Promise<number> {
  const t = toDbTime(new Date('2026-01-05T02:00:00Z'));
  caseSeq++;
  const [id] = await db('cases').insert({
    case_no: c.case_no ?? `2026-${String(900000 + caseSeq).slice(-6)}`,
    year: 2026,
    status: 'handling',
    name: '王某某',
    id_number: null,
    phone: null,
    address: null,
    headcount: 1,
    is_group: false,
    channel: '来访',
    category: '自然资源',
    content: '反映宅基地确权问题',
    received_at: t,
    received_date: '2026-01-05',
    registered_by: 'staff1',
    supervised: false,
    created_at: t,
    updated_at: t,
    ...c,
  });
  return Number(id);
}

export async function insertDeadline(db: Knex, caseId: number, kind: string, due: string, status = 'open'): Promise<void> {
  const t = toDbTime(new Date('2026-01-05T02:00:00Z'));
  await db('case_deadlines').insert({ case_id: caseId, kind, due_date: due, status, provisional: false, created_at: t, updated_at: t });
}

/** A core on a test database, with a clock the test controls. */
export async function testCore(db: Knex, url: string, clock: { now: Date }, env: Record<string, string> = {}): Promise<Core> {
  const { loadConfig } = await import('../../src/platform/settings/config');
  const { openCore } = await import('../../src/platform/core/open-core');
  const { createLogger } = await import('../../src/platform/logging/logger');
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONFIG_DIR: 'config', ...env });
  return openCore(config, { db, logger: createLogger('silent'), now: () => clock.now, migrate: true });
}
