import type { Knex } from 'knex';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { toDbTime } from '../../src/platform/database/time';
import { shanghaiInstant } from '../../src/platform/calendar/domain';
import type { CaseStatus, DeadlineKind } from '../../src/cases/domain/case-status';
import type { Core } from '../../src/platform/core/feature';
import { createLogger } from '../../src/platform/logging/logger';

/** Fixture rows written straight into cases/case_deadlines, as the case service would leave them. */

export const ID_NUMBER = '441823199001016012';
export const PHONE = '13812345678';

export interface CaseFixture {
  caseNo: string;
  status?: CaseStatus;
  unit?: string | null;
  name?: string;
  category?: string;
  town?: string;
  leaderId?: string | null;
  supervised?: boolean;
  receivedDate?: string;
  content?: string;
}

export async function insertCase(db: Knex, f: CaseFixture): Promise<number> {
  const received = f.receivedDate ?? '2025-09-20';
  const t = toDbTime(shanghaiInstant(received, '10:00'));
  const [id] = await db('cases').insert({
    case_no: f.caseNo,
    year: Number(f.caseNo.slice(0, 4)),
    status: f.status ?? 'handling',
    name: f.name ?? '王小明',
    id_number: ID_NUMBER,
    phone: PHONE,
    address: '阳城镇幸福路 8 号',
    headcount: 1,
    is_group: false,
    channel: '来访',
    town: f.town ?? '阳城镇',
    category: f.category ?? '自然资源',
    content: f.content ?? `反映宅基地确权纠纷，联系电话 ${PHONE}，身份证 ${ID_NUMBER}`,
    received_at: t,
    received_date: received,
    unit: f.unit === undefined ? '县自然资源局' : f.unit,
    leader_id: f.leaderId ?? null,
    supervised: f.supervised ?? false,
    registered_by: 'staff-1',
    created_at: t,
    updated_at: t,
  });
  return Number(id);
}

export async function insertDeadline(
  db: Knex,
  caseId: number,
  kind: DeadlineKind,
  dueDate: string,
  o: { unit?: string | null; status?: 'open' | 'met' | 'void'; provisional?: boolean } = {},
): Promise<number> {
  const t = toDbTime(new Date('2025-09-20T02:00:00Z'));
  const [id] = await db('case_deadlines').insert({
    case_id: caseId,
    kind,
    due_date: dueDate,
    provisional: o.provisional ?? false,
    status: o.status ?? 'open',
    unit: o.unit === undefined ? (kind === 'decision' ? null : '县自然资源局') : o.unit,
    created_at: t,
    updated_at: t,
  });
  return Number(id);
}

/** A case with one open deadline. */
export async function caseWithDeadline(db: Knex, f: CaseFixture, kind: DeadlineKind, dueDate: string): Promise<{ caseId: number; deadlineId: number }> {
  const caseId = await insertCase(db, f);
  const deadlineId = await insertDeadline(db, caseId, kind, dueDate, { unit: f.unit === undefined ? '县自然资源局' : f.unit });
  return { caseId, deadlineId };
}

export const CHATS = { unit: 'oc_unit_zr', bureau: 'oc_bureau', supervision: 'oc_supervision' };

/** The groups and people reminders go to: a unit group, the bureau and supervision groups, staff, a leader, the director. */
export async function seedDirectory(core: Core): Promise<void> {
  await core.chats.upsert({ id: CHATS.unit, name: '县自然资源局信访工作群', unit: '县自然资源局', role: null, venueId: null });
  await core.chats.upsert({ id: CHATS.bureau, name: '县信访局工作群', unit: null, role: 'bureau', venueId: null });
  await core.chats.upsert({ id: CHATS.supervision, name: '督查组', unit: null, role: 'supervision', venueId: null });
  await core.users.upsert({ id: 'staff-1', name: '张晓燕', role: 'staff', unit: null, town: null, title: null });
  await core.users.upsert({ id: 'ld-1', name: '李国强', role: 'leader', unit: null, town: null, title: '县委副书记' });
  await core.users.upsert({ id: 'dep-dir', name: '陈副', role: 'admin', unit: null, town: null, title: '副局长' });
  await core.users.upsert({ id: 'dir-1', name: '周建华', role: 'admin', unit: null, town: null, title: '县信访局局长' });
  await core.users.upsert({ id: 'unit-zr', name: '刘志远', role: 'unit', unit: '县自然资源局', town: null, title: null });
}

/** A core on an open test database (no features, no jobs started). */
export async function testCore(db: Knex, env: Record<string, string> = {}, now?: () => Date): Promise<Core> {
  const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONFIG_DIR: 'config', ...env });
  return openCore(config, { db, logger: createLogger('silent'), migrate: true, now });
}

export const at = (date: string, time = '09:00') => shanghaiInstant(date, time);

export interface OutboxMsg {
  id: number;
  to: string;
  toType: string;
  source: string;
  card: any;
  status: string;
  nextAttemptAt: string;
  uuid: string;
}

export async function outbox(db: Knex): Promise<OutboxMsg[]> {
  return (await db('outbox').orderBy('id')).map((r: any) => ({
    id: Number(r.id), to: r.receive_id, toType: r.receive_id_type, source: r.source, card: JSON.parse(r.content), status: r.status,
    nextAttemptAt: r.next_attempt_at, uuid: r.uuid,
  }));
}

/** Every string a reader of a card sees. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(card);
  return out.join('\n');
}
