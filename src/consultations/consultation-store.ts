import type { Knex } from 'knex';
import { toDbTime } from '../platform/database/time';
import type { InviteeKind, MeetingKind, MeetingStatus, Reply, TaskStatus } from './domain/consultation-labels';
import type { TaskStep } from './domain/task-steps';

type Db = Knex | Knex.Transaction;

/** A meeting as stored (consultations). */
export interface MeetingRow {
  id: number;
  no: string;
  kind: MeetingKind;
  year: number;
  subject: string;
  caseNo: string | null;
  disputeNo: string | null;
  date: string;
  slot: string;
  startTime: string;
  endTime: string;
  place: string;
  thirdParties: string[];
  status: MeetingStatus;
  minutes: string | null;
  minutesBy: string | null;
  minutesAt: string | null;
  organiserId: string;
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

export type NewMeeting = Omit<MeetingRow, 'id' | 'status' | 'minutes' | 'minutesBy' | 'minutesAt' | 'sequence' | 'createdAt' | 'updatedAt'>;

export interface InviteeRow {
  id: number;
  consultationId: number;
  kind: InviteeKind;
  invitee: string;
  reply: Reply;
  reason: string | null;
  repliedBy: string | null;
  repliedAt: string | null;
}

export interface TaskRow {
  id: number;
  consultationId: number;
  ownerKind: 'unit' | 'user';
  owner: string;
  content: string;
  dueDate: string;
  status: TaskStatus;
  doneBy: string | null;
  doneAt: string | null;
}

export type NewTask = Pick<TaskRow, 'ownerKind' | 'owner' | 'content' | 'dueDate'>;

export interface EventRow {
  id: number;
  action: string;
  actorId: string;
  detail: string | null;
  at: string;
}

export interface MeetingFilter {
  from?: string;
  to?: string;
  status?: MeetingStatus;
  /** Meetings a leader (users.id) is invited to. */
  leaderId?: string;
  /** Meetings a unit is invited to. */
  unit?: string;
}

/** The consultations capability's tables: the only SQL on them. */
export class ConsultationStore {
  constructor(private readonly db: Knex) {}

  async insertMeeting(trx: Db, m: NewMeeting, now: Date): Promise<number> {
    const t = toDbTime(now);
    await trx('consultations').insert({
      no: m.no, kind: m.kind, year: m.year, subject: m.subject, case_no: m.caseNo, dispute_no: m.disputeNo,
      date: m.date, slot: m.slot, start_time: m.startTime, end_time: m.endTime, place: m.place,
      third_parties: m.thirdParties.length ? JSON.stringify(m.thirdParties) : null,
      status: 'scheduled', organiser_id: m.organiserId, sequence: 0, created_at: t, updated_at: t,
    });
    // Read back by the unique number: MySQL and SQLite report inserted ids differently.
    const row = await trx('consultations').where({ no: m.no }).first('id');
    return Number(row.id);
  }

  /** The meeting a clash card's 「仍按此时间安排」 token already scheduled or moved, if any. */
  async byRequestToken(token: string, db: Db = this.db): Promise<MeetingRow | null> {
    const r = await db('consultation_requests').where({ token }).first('consultation_id');
    if (!r) return null;
    const m = await db('consultations').where({ id: Number(r.consultation_id) }).first();
    return m ? toMeeting(m) : null;
  }

  /** Records what a token did; a second insert of the same token fails (the unique guard of a double press). */
  async recordRequestToken(trx: Db, token: string, action: 'schedule' | 'move', consultationId: number, now: Date): Promise<void> {
    await trx('consultation_requests').insert({ token, action, consultation_id: consultationId, created_at: toDbTime(now) });
  }

  async insertInvitees(trx: Db, consultationId: number, list: Array<{ kind: InviteeKind; invitee: string }>): Promise<void> {
    if (!list.length) return;
    await trx('consultation_invitees').insert(list.map((i) => ({ consultation_id: consultationId, kind: i.kind, invitee: i.invitee, reply: 'pending' })));
  }

  /** Appends to the audit trail; the database refuses updates and deletes. */
  async logEvent(trx: Db, e: { consultationId: number; action: string; actorId: string; detail?: string | null; data?: unknown }, now: Date): Promise<void> {
    await trx('consultation_events').insert({
      consultation_id: e.consultationId, action: e.action, actor_id: e.actorId, detail: e.detail ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data), at: toDbTime(now),
    });
  }

  async events(consultationId: number, db: Db = this.db): Promise<EventRow[]> {
    const rows = await db('consultation_events').where({ consultation_id: consultationId }).orderBy('id');
    return rows.map((r: any) => ({ id: Number(r.id), action: r.action, actorId: r.actor_id, detail: r.detail ?? null, at: r.at }));
  }

  async byNo(no: string, db: Db = this.db): Promise<MeetingRow | null> {
    const r = await db('consultations').where({ no }).first();
    return r ? toMeeting(r) : null;
  }

  async list(f: MeetingFilter = {}, db: Db = this.db): Promise<MeetingRow[]> {
    const q = db('consultations').orderBy([{ column: 'date' }, { column: 'start_time' }, { column: 'id' }]);
    if (f.from) q.where('date', '>=', f.from);
    if (f.to) q.where('date', '<=', f.to);
    if (f.status) q.where('status', f.status);
    if (f.leaderId) {
      q.whereIn('id', db('consultation_invitees').where({ kind: 'leader', invitee: f.leaderId }).select('consultation_id'));
    }
    if (f.unit) q.whereIn('id', db('consultation_invitees').where({ kind: 'unit', invitee: f.unit }).select('consultation_id'));
    return (await q).map(toMeeting);
  }

  /** Scheduled meetings on a date (the other meetings a leader may already have that day). */
  async onDate(date: string, db: Db = this.db): Promise<MeetingRow[]> {
    return (await db('consultations').where({ date, status: 'scheduled' }).orderBy('start_time')).map(toMeeting);
  }

  async invitees(consultationIds: number[], db: Db = this.db): Promise<InviteeRow[]> {
    if (!consultationIds.length) return [];
    const rows = await db('consultation_invitees').whereIn('consultation_id', consultationIds).orderBy('id');
    return rows.map((r: any) => ({
      id: Number(r.id), consultationId: Number(r.consultation_id), kind: r.kind, invitee: r.invitee, reply: r.reply,
      reason: r.reason ?? null, repliedBy: r.replied_by ?? null, repliedAt: r.replied_at ?? null,
    }));
  }

  /** An invitee's answer; the meeting's updated_at moves too, so feeds and the Lark calendar see it. */
  async setReply(trx: Db, inviteeId: number, reply: Reply, reason: string | null, by: string, now: Date): Promise<void> {
    const t = toDbTime(now);
    await trx('consultation_invitees').where({ id: inviteeId }).update({ reply, reason, replied_by: by, replied_at: t });
    await trx('consultations').whereIn('id', trx('consultation_invitees').where({ id: inviteeId }).select('consultation_id')).update({ updated_at: t });
  }

  /** Cancels a scheduled meeting (SEQUENCE + 1); false when it was no longer scheduled. */
  async cancelMeeting(trx: Db, id: number, now: Date): Promise<boolean> {
    const t = toDbTime(now);
    const n = await trx('consultations').where({ id, status: 'scheduled' }).update({ status: 'cancelled', updated_at: t, sequence: trx.raw('sequence + 1') });
    return Number(n) > 0;
  }

  /**
   * Moves a scheduled meeting to another time (and place), SEQUENCE + 1, and sets every invitee's
   * answer back to pending: they answered for the old time. False when it was no longer scheduled.
   */
  async moveMeeting(trx: Db, id: number, to: { date: string; slot: string; startTime: string; endTime: string; place: string }, now: Date): Promise<boolean> {
    const t = toDbTime(now);
    const n = await trx('consultations').where({ id, status: 'scheduled' }).update({
      date: to.date, slot: to.slot, start_time: to.startTime, end_time: to.endTime, place: to.place, updated_at: t, sequence: trx.raw('sequence + 1'),
    });
    if (!Number(n)) return false;
    await trx('consultation_invitees').where({ consultation_id: id }).update({ reply: 'pending', reason: null, replied_by: null, replied_at: null });
    return true;
  }

  /** The minutes: the meeting becomes held; SEQUENCE rises so calendars show the change. */
  async recordMinutes(trx: Db, id: number, minutes: string, by: string, now: Date): Promise<void> {
    const t = toDbTime(now);
    await trx('consultations').where({ id }).update({
      status: 'held', minutes, minutes_by: by, minutes_at: t, updated_at: t, sequence: trx.raw('sequence + 1'),
    });
  }

  async insertTasks(trx: Db, consultationId: number, tasks: NewTask[], now: Date): Promise<void> {
    if (!tasks.length) return;
    const t = toDbTime(now);
    await trx('consultation_tasks').insert(tasks.map((k) => ({
      consultation_id: consultationId, owner_kind: k.ownerKind, owner: k.owner, content: k.content, due_date: k.dueDate, status: 'open', created_at: t,
    })));
  }

  async tasksOf(consultationIds: number[], db: Db = this.db): Promise<TaskRow[]> {
    if (!consultationIds.length) return [];
    return (await db('consultation_tasks').whereIn('consultation_id', consultationIds).orderBy('id')).map(toTask);
  }

  async task(id: number, db: Db = this.db): Promise<TaskRow | null> {
    if (!Number.isInteger(id) || id <= 0) return null;
    const r = await db('consultation_tasks').where({ id }).first();
    return r ? toTask(r) : null;
  }

  /** Marks an open task done; false when it was done already. */
  async markTaskDone(trx: Db, id: number, by: string, note: string | null, now: Date): Promise<boolean> {
    const n = await trx('consultation_tasks').where({ id, status: 'open' }).update({ status: 'done', done_by: by, done_at: toDbTime(now), done_note: note });
    return Number(n) > 0;
  }

  /** Open tasks due on or before `until` (the reminder job looks a few days ahead). */
  async openTasksDueBy(until: string, db: Db = this.db): Promise<TaskRow[]> {
    return (await db('consultation_tasks').where('status', 'open').andWhere('due_date', '<=', until).orderBy([{ column: 'due_date' }, { column: 'id' }])).map(toTask);
  }

  async byIds(ids: number[], db: Db = this.db): Promise<MeetingRow[]> {
    if (!ids.length) return [];
    return (await db('consultations').whereIn('id', [...new Set(ids)])).map(toMeeting);
  }

  async reminderSent(key: string, db: Db = this.db): Promise<boolean> {
    return Boolean(await db('consultation_reminders').where({ key }).first('id'));
  }

  /** Records a reminder under its unique key (task:step); a second insert of the key fails. */
  async recordReminder(trx: Db, r: { key: string; taskId: number; step: TaskStep; messages: number }, now: Date): Promise<void> {
    await trx('consultation_reminders').insert({ key: r.key, task_id: r.taskId, step: r.step, messages: r.messages, created_at: toDbTime(now) });
  }

  /** For consultationFigures: the meetings dated in a period and their tasks. */
  async figures(from: string, to: string, db: Db = this.db): Promise<{ held: number; scheduled: number; tasks: number; tasksDone: number }> {
    const meetings = db('consultations').where('date', '>=', from).andWhere('date', '<=', to).whereNot('status', 'cancelled');
    const [m]: any[] = await meetings.clone().select(
      db.raw('count(*) as n'),
      db.raw("sum(case when status = 'held' then 1 else 0 end) as h"),
    );
    const [t]: any[] = await db('consultation_tasks')
      .whereIn('consultation_id', meetings.clone().select('id'))
      .select(db.raw('count(*) as n'), db.raw("sum(case when status = 'done' then 1 else 0 end) as d"));
    return { scheduled: Number(m?.n ?? 0), held: Number(m?.h ?? 0), tasks: Number(t?.n ?? 0), tasksDone: Number(t?.d ?? 0) };
  }

  /** What changes whenever the meetings of a leader (or a unit) change, for that feed's ETag. */
  async inviteeVersion(kind: InviteeKind, invitee: string, fromDate: string, db: Db = this.db): Promise<string> {
    const [r]: any[] = await db('consultations')
      .whereIn('id', db('consultation_invitees').where({ kind, invitee }).select('consultation_id'))
      .andWhere('date', '>=', fromDate)
      .select(db.raw('count(*) as n'), db.raw('max(updated_at) as m'), db.raw('sum(sequence) as q'), db.raw('sum(id) as i'));
    return `${String(r?.n ?? 0)}|${String(r?.m ?? '')}|${String(r?.q ?? 0)}|${String(r?.i ?? 0)}`;
  }
}

function toMeeting(r: any): MeetingRow {
  return {
    id: Number(r.id), no: r.no, kind: r.kind, year: Number(r.year), subject: r.subject, caseNo: r.case_no ?? null, disputeNo: r.dispute_no ?? null,
    date: r.date, slot: r.slot, startTime: r.start_time, endTime: r.end_time, place: r.place, thirdParties: parseList(r.third_parties),
    status: r.status, minutes: r.minutes ?? null, minutesBy: r.minutes_by ?? null, minutesAt: r.minutes_at ?? null,
    organiserId: r.organiser_id, sequence: Number(r.sequence ?? 0), createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function toTask(r: any): TaskRow {
  return {
    id: Number(r.id), consultationId: Number(r.consultation_id), ownerKind: r.owner_kind, owner: r.owner, content: r.content,
    dueDate: r.due_date, status: r.status, doneBy: r.done_by ?? null, doneAt: r.done_at ?? null,
  };
}

function parseList(v: unknown): string[] {
  if (!v) return [];
  try {
    const p = JSON.parse(String(v));
    return Array.isArray(p) ? p.map(String) : [];
  } catch {
    return [];
  }
}
