import { ICalEventBusyStatus, ICalEventClass, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { formatChineseDate } from '../platform/calendar/domain';
import { SESSION_STATUS_LABELS, SessionStatus } from '../roster';
import type { FeedLeader, FeedSession, FeedVenue } from '../roster';
import { CalendarMeta, FeedEvent, FeedLocation, renderCalendar } from './ics';
import { ShanghaiDateTime } from './shanghai-time';

/**
 * Who reads the feed, which decides what an event says:
 * - public: level and titles of the leaders, the place and the time; no names, no focus, no
 *   accompanying units, never the internal note;
 * - leader: the leader's own sessions in full, with the link to the briefing;
 * - venue, plan: everything staff need to prepare (names, titles, units, focus); never the note.
 */
export type SessionAudience = 'public' | 'leader' | 'venue' | 'plan';

export interface SessionCalendarInput {
  audience: SessionAudience;
  meta: CalendarMeta;
  sessions: FeedSession[];
  leaders: Map<string, FeedLeader>;
  venues: Map<string, FeedVenue>;
  /** The public schedule page, linked from public events. */
  scheduleUrl?: string;
  /** The briefing of one session, linked from the leader's events. */
  briefingUrl?: (s: FeedSession) => string | null;
  /** The leader whose feed this is: left out of “同场领导”. */
  viewerLeaderId?: string;
  /**
   * Whether a date lies in a year without holiday data: its sessions were planned around
   * weekends only, so they are TENTATIVE and say so (a 2027 plan made before the State Council notice).
   */
  provisional?: (date: string) => boolean;
}

export const PROVISIONAL_LINE = '暂定：该年节假日安排尚未公布，日期可能调整。';

/** The feed as UTF-8 bytes. */
export function renderSessionCalendar(input: SessionCalendarInput): Buffer {
  return renderCalendar(input.meta, sessionEvents(input));
}

/** The events of a session feed, lazily: a 25,000-event feed never holds them all at once. */
export function* sessionEvents(input: SessionCalendarInput): Generator<FeedEvent> {
  const memo: Memo = { dates: new Map(), locations: new Map() };
  for (const s of input.sessions) yield sessionEvent(input, s, memo);
}

/** Values many events share, made once per feed (dates repeat, venues repeat). */
interface Memo {
  dates: Map<string, string>;
  locations: Map<string, FeedLocation>;
}

/** What one session's event says, which depends on the audience. */
interface EventText {
  summary: string;
  lines: Array<string | null>;
  url: string | null;
  /** Blocks the reader's time (a leader's own session). */
  busy: boolean;
}

/** A session as its event text needs it: its venue and leaders looked up, its day written out. */
interface SessionContext {
  s: FeedSession;
  venue: FeedVenue;
  leaders: FeedLeader[];
  cancelled: boolean;
  /** 【已取消】, 【暂定】 or nothing. */
  mark: string;
  /** Day, slot and times, as the description's 时间 line reads. */
  when: string;
  /** The venue and its address, as the description's 地点 line reads. */
  where: string;
}

function sessionEvent(input: SessionCalendarInput, s: FeedSession, memo: Memo): FeedEvent {
  const venue = input.venues.get(s.venueId) ?? { id: s.venueId, name: s.venueId, kind: '', town: null, address: null };
  const leaders = s.leaderIds.map((id) => input.leaders.get(id)).filter((l): l is FeedLeader => l !== undefined);
  const cancelled = s.status === 'cancelled';
  const tentative = !cancelled && (input.provisional?.(s.date) ?? false);
  let day = memo.dates.get(s.date);
  if (day === undefined) memo.dates.set(s.date, (day = formatChineseDate(s.date)));
  const ctx: SessionContext = {
    s, venue, leaders, cancelled,
    mark: cancelled ? '【已取消】' : tentative ? '【暂定】' : '',
    when: `${day}${s.slot} ${s.startTime}—${s.endTime}`,
    where: venue.address ? `${venue.name}（${venue.address}）` : venue.name,
  };
  const { summary, lines, url, busy } = eventText(input, ctx);

  return {
    uid: s.uid,
    sequence: s.sequence,
    // The row's update time, never the clock: an unchanged plan gives a byte-identical feed.
    stamp: s.updatedAt,
    created: s.createdAt,
    lastModified: s.updatedAt,
    allDay: false,
    start: ShanghaiDateTime.of(s.date, s.startTime),
    end: ShanghaiDateTime.of(s.date, s.endTime),
    summary,
    description: [...lines, tentative ? PROVISIONAL_LINE : null].filter((l): l is string => Boolean(l)).join('\n'),
    location: locationOf(venue, memo),
    url,
    status: cancelled ? ICalEventStatus.CANCELLED : tentative ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    transparency: busy ? ICalEventTransparency.OPAQUE : ICalEventTransparency.TRANSPARENT,
    busystatus: busy ? ICalEventBusyStatus.BUSY : ICalEventBusyStatus.FREE,
    class: input.audience === 'public' ? ICalEventClass.PUBLIC : ICalEventClass.PRIVATE,
  };
}

function eventText(input: SessionCalendarInput, ctx: SessionContext): EventText {
  switch (input.audience) {
    case 'public':
      return publicText(input, ctx);
    case 'leader':
      return leaderText(input, ctx);
    case 'venue':
    case 'plan':
      return staffText(input.audience, ctx);
  }
}

function publicText(input: SessionCalendarInput, { s, venue, leaders, mark }: SessionContext): EventText {
  const titles = unique(leaders.map((l) => l.title));
  return {
    summary: `${mark}${levelLabel(leaders, venue)}${s.type}（${venue.name}）`,
    // Time and place are the event's own DTSTART and LOCATION: a 25,000-event feed does not
    // repeat them in every description.
    lines: [
      titles.length ? `${s.type}领导：${titles.join('、')}` : null,
      publicHint(s.type),
      statusLine(s.status),
    ],
    url: input.scheduleUrl ?? null,
    busy: false,
  };
}

function leaderText(input: SessionCalendarInput, { s, venue, leaders, cancelled, mark, when, where }: SessionContext): EventText {
  const others = leaders.filter((l) => l.id !== input.viewerLeaderId);
  const briefing = input.briefingUrl?.(s) ?? null;
  return {
    summary: `${mark}${s.type}：${venue.name}`,
    lines: [
      `类型：${s.type}`,
      `时间：${when}`,
      `地点：${where}`,
      others.length ? `同场领导：${others.map(nameWithTitle).join('、')}` : null,
      ...detailLines(s),
      cancelled ? null : `接访简报：在飞书向信访助手发送“接访简报 ${s.date}”${briefing ? `（${briefing}）` : ''}`,
    ],
    url: cancelled ? null : briefing,
    busy: !cancelled,
  };
}

function staffText(audience: 'venue' | 'plan', { s, venue, leaders, mark, when, where }: SessionContext): EventText {
  const who = leaders.length ? leaders.map(nameWithTitle) : ['（未指定领导）'];
  let summary = `${mark}${leaders.length > 1 ? `${nameWithTitle(leaders[0])}等${leaders.length}位领导` : who[0]}${s.type}`;
  if (audience === 'plan') summary += `（${venue.name}）`;
  return {
    summary,
    lines: [`${s.type}领导：${who.join('、')}`, `类型：${s.type}`, `时间：${when}`, `地点：${where}`, ...detailLines(s)],
    url: null,
    busy: false,
  };
}

/** 陪同单位, 第三方力量 (律师：张明远（正衡律师事务所）), 接访重点, 接待名额 and 状态: what staff and the leader read of a session. */
function detailLines(s: FeedSession): Array<string | null> {
  return [
    s.accompanyUnits.length ? `陪同单位：${s.accompanyUnits.join('、')}` : null,
    ...(s.thirdParties ?? []).map((p) => `${p.kind}：${p.name}${p.organisation ? `（${p.organisation}）` : ''}`),
    s.focus ? `接访重点：${s.focus}` : null,
    s.capacity ? `接待名额：${s.capacity}` : null,
    `状态：${statusLabel(s.status)}`,
  ];
}

function locationOf(venue: FeedVenue, memo: Memo): FeedLocation {
  let l = memo.locations.get(venue.id);
  if (!l) memo.locations.set(venue.id, (l = venue.address ? { title: venue.name, address: venue.address } : { title: venue.name }));
  return l;
}

/** “县领导”, or “镇领导”/“乡领导” after the venue's town: the public title of a session. */
function levelLabel(leaders: FeedLeader[], venue: FeedVenue): string {
  if (leaders.length === 0 || leaders.some((l) => l.level === 'county')) return '县领导';
  return venue.town?.endsWith('乡') ? '乡领导' : '镇领导';
}

function publicHint(type: string): string | null {
  if (type === '接访') return '群众可在上述时间到场反映诉求，请带好身份证件和相关材料。';
  if (type === '下访') return '领导到当地下访，群众可在上述时间到场反映诉求。';
  if (type === '约访') return '约访需提前预约，请联系当地信访部门。';
  return null;
}

function statusLine(status: string): string | null {
  if (status === 'cancelled') return '状态：本场已取消';
  if (status === 'changed') return '状态：时间或地点已调整，以本日历为准';
  return null;
}

function statusLabel(status: string): string {
  return SESSION_STATUS_LABELS[status as SessionStatus] ?? status;
}

function nameWithTitle(l: FeedLeader): string {
  return `${l.name}（${l.title}）`;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
