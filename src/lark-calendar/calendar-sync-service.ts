import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Core } from '../platform/core/feature';
import { shanghaiDate } from '../platform/calendar/domain';
import { RosterFeedQueries, type FeedDimensions, type FeedSession } from '../roster';
import { desiredEvent, type DesiredEvent } from './domain';
import { LarkCalendarStore } from './lark-calendar-store';
import { LarkCalendarApi } from './lark-calendar-api';
import { CallPacer } from './call-pacer';
import { EventWriter, wantHash, type WriteOutcome } from './event-writer';
import { MeetingSync } from './meeting-sync';

/** The shared calendar's title, and its key in lark_calendars. */
export const CALENDAR_SUMMARY = '领导干部接访下访安排';
const CALENDAR_KEY = 'roster';
const CALENDAR_DESCRIPTION = '信访助手根据接访安排和会商安排自动维护：各位领导的接访、下访、约访日程，疑难复杂问题会商和联席会议。请勿手工修改。';

export interface SyncOptions {
  /** This worker's name in the leases; unique per process. */
  owner?: string;
  /** How long a claim holds (a crashed worker's rows are taken over after it). */
  leaseMs?: number;
  /** Calendar calls per second of this worker; 0 = no cap (tests). */
  callsPerSecond?: number;
  /** Rows claimed per round. */
  batch?: number;
}

/** A full read of the coming sessions: what each should look like in Lark, and its sequence. */
interface Scan {
  wants: Map<number, DesiredEvent>;
  sequences: Map<number, number>;
}

/** A full rescan at least this often, whatever the signal says (a leader swap on MySQL moves no count). */
const RESCAN_MS = 5 * 60_000;

export interface SyncReport {
  calendarId: string | null;
  scanned: number;
  /** The meetings (会商, 联席会议) from today on that were compared. */
  meetings: number;
  counts: Record<WriteOutcome, number>;
}

/**
 * Reception days (and, through meeting-sync.ts, 会商 and 联席会议) → the shared Lark calendar: the calendar made once (a claimed row, so never
 * twice), then each session from today on compared with its stored mapping (a hash of what Lark
 * should show) and the differences written through a leased queue with back-off.
 */
export class CalendarSyncService {
  readonly store: LarkCalendarStore;
  private readonly roster: RosterFeedQueries;
  private readonly api: LarkCalendarApi;
  private readonly writer: EventWriter;
  readonly meetingSync: MeetingSync;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly batch: number;
  private last: { signal: string; at: number; scan: Scan } | null = null;

  constructor(private readonly core: Core, client: lark.Client, o: SyncOptions = {}) {
    this.store = new LarkCalendarStore(core.db);
    this.roster = new RosterFeedQueries(core.db);
    this.api = new LarkCalendarApi(client);
    this.owner = o.owner ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.batch = o.batch ?? 50;
    const pacer = new CallPacer(o.callsPerSecond ?? 10);
    this.writer = new EventWriter(this.store, this.api, pacer, this.owner, () => this.core.now());
    this.meetingSync = new MeetingSync(core, this.api, pacer, this.owner, this.leaseMs, this.batch);
  }

  /** One round: the calendar, the scan, and the queue drained of what is due. */
  async syncOnce(): Promise<SyncReport> {
    const counts: Record<WriteOutcome, number> = { created: 0, patched: 0, deleted: 0, unchanged: 0, failed: 0 };
    const calendarId = await this.ensureCalendar();
    if (!calendarId) return { calendarId, scanned: 0, meetings: 0, counts };
    const { wants, sequences } = await this.scanIfChanged();
    for (;;) {
      const rows = await this.store.claimDue(this.owner, this.core.now(), this.leaseMs, this.batch);
      if (!rows.length) break;
      for (const row of rows) counts[await this.writer.write(calendarId, row, wants.get(row.itemId) ?? null, sequences.get(row.itemId) ?? row.wantSequence)]++;
    }
    const meetings = await this.meetingSync.round(calendarId, counts);
    return { calendarId, scanned: wants.size, meetings, counts };
  }

  /** The stored calendar, or one made now under a claim; null while another worker is making it. */
  async ensureCalendar(): Promise<string | null> {
    const stored = await this.store.calendarId(CALENDAR_KEY);
    if (stored) return stored;
    if (!(await this.store.claimCalendar(CALENDAR_KEY, this.owner, this.core.now(), this.leaseMs))) return null;
    let id: string;
    try {
      id = await this.api.createCalendar(CALENDAR_SUMMARY, CALENDAR_DESCRIPTION);
    } catch (err) {
      await this.store.releaseCalendar(CALENDAR_KEY, this.owner, this.core.now());
      throw err;
    }
    if (!(await this.store.setCalendarId(CALENDAR_KEY, this.owner, id, this.core.now()))) {
      this.core.logger.warn({ component: 'lark-calendar' }, '飞书日历：创建日历时认领已失效，可能多出一个空日历，请在飞书中删除');
      return this.store.calendarId(CALENDAR_KEY);
    }
    this.core.logger.info({ component: 'lark-calendar' }, '飞书日历：已创建共享日历');
    return id;
  }

  /**
   * The last scan again while nothing it read has changed (the sessions' signal, the leaders' and
   * venues' fingerprint, the day), at most RESCAN_MS old: a quiet round reads a few index entries.
   */
  private async scanIfChanged(): Promise<Scan> {
    const dims = await this.roster.dimensions();
    const signal = `${await this.roster.sessionSignal()}|${dims.fingerprint}|${shanghaiDate(this.core.now())}`;
    const at = Date.now();
    if (this.last && this.last.signal === signal && at - this.last.at < RESCAN_MS) return this.last.scan;
    const scan = await this.scan(dims);
    this.last = { signal, at, scan };
    return scan;
  }

  /** Sessions from today (Shanghai) on, as Lark should show them; each mapping row brought up to date. */
  private async scan(dims: FeedDimensions): Promise<Scan> {
    const today = shanghaiDate(this.core.now());
    const year = Number(today.slice(0, 4));
    const window = { fromDate: today, cancelFromDate: today, cancelFromInstant: '' };
    const sessions: FeedSession[] = [];
    for (const y of [year, year + 1]) {
      for (const s of await this.roster.sessions({ kind: 'plan', year: y }, window, dims)) if (s.date >= today) sessions.push(s);
    }
    const mapped = await this.store.mappings(sessions.map((s) => s.id));
    const wants = new Map<number, DesiredEvent>();
    const sequences = new Map<number, number>();
    for (const s of sessions) {
      const want = desiredEvent(forEvent(s, dims));
      wants.set(s.id, want);
      sequences.set(s.id, s.sequence);
      const row = mapped.get(s.id);
      if (!row && !want.body) continue; // cancelled before it was ever written
      const hash = wantHash(want);
      if (row && row.wantHash === hash) continue;
      await this.store.want(s.id, hash, s.sequence, this.core.now(), Boolean(row));
    }
    return { wants, sequences };
  }
}

function forEvent(s: FeedSession, dims: FeedDimensions) {
  const venue = dims.venues.get(s.venueId);
  return {
    id: s.id,
    date: s.date,
    startTime: s.startTime,
    endTime: s.endTime,
    type: s.type,
    status: s.status,
    accompanyUnits: s.accompanyUnits,
    venue: venue ? { name: venue.name, address: venue.address } : null,
    leaders: s.leaderIds.map((id) => ({ id, name: dims.leaders.get(id)?.name ?? id })),
  };
}
