import { feedEtag } from './etag';
import fs from 'node:fs';
import type { Knex } from 'knex';
import { FeedDeadlineQueries } from '../cases';
import { addDays, shanghaiDate, shanghaiInstant } from '../platform/calendar/domain';
import { UserStore } from '../platform/directory/user-store';
import type { RowSetVersion } from '../platform/database/row-checks';
import { Config, configPath } from '../platform/settings/config';
import { fromDbTime, toDbTime } from '../platform/database/time';
import type { Core } from '../platform/core/feature';
import { FeedDimensions, FeedLeader, FeedVenue, FeedWindow, RosterFeedQueries, SessionScope } from '../roster';
import { FeedKind, FeedToken, FeedTokenStore } from './feed-token-store';
import { renderDeadlineCalendar } from './deadline-calendar';
import { renderSessionCalendar, SessionAudience, SessionCalendarInput, sessionEvents } from './session-calendar';
import { ConsultationFeedQueries } from '../consultations';
import { meetingEvents } from './meeting-calendar';
import { renderCalendar } from './ics';

export interface FeedCacheSettings {
  /** How long a windowed aggregate is trusted while the sessions' signal stays (a safety net). */
  versionTtlMs: number;
  /** How long leaders and venues read from the database are reused. */
  dimensionsTtlMs: number;
  /** Memory for the last body of each feed. */
  maxBodyBytes: number;
  maxFeeds: number;
}

const DEFAULT_CACHE: FeedCacheSettings = { versionTtlMs: 60_000, dimensionsTtlMs: 5_000, maxBodyBytes: 64 * 1024 * 1024, maxFeeds: 2000 };

/** The feed service of the app: the token store and config/reference.json's units. */
export function createFeedService(core: Core, cache: Partial<FeedCacheSettings> = {}): FeedService {
  const referenceFile = configPath(core.config, 'reference.json');
  return new FeedService(
    core.db,
    core.config,
    new FeedTokenStore(core.db),
    () => (fs.existsSync(referenceFile) ? core.reference().units : []),
    { ...DEFAULT_CACHE, ...cache },
    () => core.calendar.calendar.knownYears(),
  );
}

/** The window of days of a feed read at `now`: FEED_PAST_DAYS back, FEED_CANCELLED_DAYS for cancelled sessions. */
export function feedWindow(now: Date, pastDays: number, cancelledDays: number): FeedWindow {
  const today = shanghaiDate(now);
  const cancelFromDate = addDays(today, -cancelledDays);
  return {
    fromDate: addDays(today, -pastDays),
    cancelFromDate,
    cancelFromInstant: toDbTime(shanghaiInstant(cancelFromDate)),
  };
}

/** Bumped when the rendering changes, so clients holding an old ETag fetch the new text. */
const FORMAT_VERSION = 'feeds-2';

/** A feed, resolved: what it holds and for whom. */
export type FeedSpec =
  | { kind: 'public' }
  | { kind: 'leader'; leader: FeedLeader }
  | { kind: 'venue'; venue: FeedVenue }
  | { kind: 'deadlines'; unit: string }
  | { kind: 'plan'; year: number };

/** What the conditional answer needs, from cheap queries only. */
export interface FeedVersion {
  etag: string;
  lastModified: Date | null;
  /** Read for the ETag and reused by render(). */
  dims: FeedDimensions | null;
}

export type FeedSettings = Pick<
  Config,
  'PUBLIC_BASE_URL' | 'FEED_PAST_DAYS' | 'FEED_CANCELLED_DAYS' | 'FEED_PUBLIC_TITLE' | 'FEED_BRIEFING_URL'
> & Partial<Pick<Config, 'LARK_APP_ID'>>;

/**
 * The calendar feeds: resolves tokens to feeds, says a feed's version (ETag, Last-Modified)
 * from aggregate queries, and renders it. Rendering reads the clock only to pick the window of
 * days; the text itself comes from the rows, so an unchanged plan gives the same bytes.
 */
export class FeedService {
  /** The roster's sessions, leaders and venues. */
  readonly roster: RosterFeedQueries;
  /** The cases' open deadlines. */
  readonly cases: FeedDeadlineQueries;
  /** The 会商 and 联席会议 a leader is invited to (the leader feed only). */
  readonly meetings: ConsultationFeedQueries;
  private readonly users: UserStore;
  /** Per feed: the windowed aggregate, valid while the sessions' signal and the window stay. */
  private readonly versions = new Map<string, { key: string; at: number; version: RowSetVersion }>();
  /** Per feed: the last body sent, by ETag, so a full GET of an unchanged feed is not rendered again. */
  private readonly bodies = new Map<string, { etag: string; body: Buffer }>();
  private bodyBytes = 0;
  private readonly dims = new Map<string, { at: number; value: FeedDimensions }>();

  constructor(
    db: Knex,
    private readonly settings: FeedSettings,
    readonly tokens: FeedTokenStore,
    private readonly referenceUnits: () => readonly string[],
    private readonly cache: FeedCacheSettings = DEFAULT_CACHE,
    /** The years with holiday data: sessions in other years are tentative. */
    private readonly knownYears: () => readonly number[] = () => [],
  ) {
    this.roster = new RosterFeedQueries(db);
    this.cases = new FeedDeadlineQueries(db);
    this.meetings = new ConsultationFeedQueries(db);
    this.users = new UserStore(db);
  }

  private get base(): string {
    return this.settings.PUBLIC_BASE_URL.replace(/\/+$/, '');
  }

  /** The URL a subscriber adds to their calendar app. */
  feedUrl(kind: FeedKind | 'public', secret?: string): string {
    return kind === 'public' ? `${this.base}/ical/public.ics` : `${this.base}/ical/${kind}/${secret}.ics`;
  }

  /** The same feed for apps that open webcal:// links (Apple Calendar, Outlook desktop). */
  webcalUrl(httpUrl: string): string {
    return httpUrl.replace(/^https?:\/\//, 'webcal://');
  }

  /** The feed a token opens, or null: unknown, revoked, of another kind, or its subject is gone. */
  async specForToken(kind: string, secret: string): Promise<FeedSpec | null> {
    const token = await this.tokens.resolve(kind, secret);
    return token ? this.specFor(token) : null;
  }

  async specFor(token: Pick<FeedToken, 'kind' | 'subject'>): Promise<FeedSpec | null> {
    // One row by its key: a province's thousands of leaders are not read for one feed.
    if (token.kind === 'leader') {
      const leader = await this.roster.leader(token.subject);
      return leader ? { kind: 'leader', leader } : null;
    }
    if (token.kind === 'venue') {
      const venue = await this.roster.venue(token.subject);
      return venue ? { kind: 'venue', venue } : null;
    }
    if (token.kind === 'deadlines') return { kind: 'deadlines', unit: token.subject };
    return null;
  }

  /** Whom a token may be made for; the Chinese reason when not. */
  async checkSubject(kind: FeedKind, subject: string): Promise<string | null> {
    const s = subject.trim();
    if (!s) return '请指明订阅对象（--subject）';
    if (kind === 'leader' && !(await this.roster.leader(s))) return `没有编号为“${s}”的接访领导（leaders 表中找不到）`;
    if (kind === 'venue' && !(await this.roster.venue(s))) return `没有编号为“${s}”的接访地点（venues 表中找不到）`;
    if (kind === 'deadlines' && !(await this.knownUnit(s))) {
      return `没有名为“${s}”的承办单位（既不在 config/reference.json 的单位名单中，也没有用户或案件属于它）`;
    }
    return null;
  }

  /** Whether a unit is known anywhere: the reference list, a user, a case or a deadline. */
  private async knownUnit(unit: string): Promise<boolean> {
    return this.referenceUnits().includes(unit) || (await this.users.hasUnit(unit)) || this.cases.hasUnit(unit);
  }

  /**
   * The feed's ETag and Last-Modified. For session feeds the aggregate over the feed's window
   * (count, latest update, sums of SEQUENCE and ids) is read again only when the signal (latest
   * update and row counts of the whole table, index-only reads) or the day's window moved, or a
   * minute passed (a safety net for a writer whose clock lags, or a row removed); otherwise it
   * comes from memory. Leaders and venues count too (a renamed venue changes the feed); they are
   * read again every few seconds.
   */
  async version(spec: FeedSpec, now: Date): Promise<FeedVersion> {
    let v: RowSetVersion;
    let dims: FeedDimensions | null = null;
    if (spec.kind === 'deadlines') {
      v = await this.cases.version(spec.unit);
    } else {
      const window = this.window(now);
      const signal = await this.roster.sessionSignal();
      dims = await this.dimensions(spec, window, signal);
      const key = `${signal}|${window.fromDate}|${window.cancelFromDate}`;
      const feed = specKey(spec);
      const hit = this.versions.get(feed);
      const t = Date.now();
      if (hit && hit.key === key && t >= hit.at && t - hit.at < this.cache.versionTtlMs) {
        v = hit.version;
      } else {
        v = await this.roster.sessionVersion(this.scope(spec), window);
        this.versions.delete(feed);
        this.versions.set(feed, { key, at: t, version: v });
        if (this.versions.size > this.cache.maxFeeds) this.versions.delete(this.versions.keys().next().value!);
      }
    }
    const from = this.window(now).fromDate;
    const meetings = spec.kind === 'leader' ? await this.meetings.version(spec.leader.id, from) : spec.kind === 'deadlines' ? await this.meetings.unitVersion(spec.unit, from) : null;
    const etag = feedEtag([FORMAT_VERSION, specKey(spec), v, dims?.fingerprint ?? null, this.settingsKey(), ...(meetings ? [meetings] : [])]);
    return { etag, lastModified: fromDbTime(v.maxUpdatedAt), dims };
  }

  /**
   * The feed as bytes to send: the body last sent for this ETag when there is one, else
   * freshly rendered (and kept, within the memory budget, for the next full GET).
   */
  async body(spec: FeedSpec, now: Date, version: FeedVersion): Promise<Buffer> {
    const feed = specKey(spec);
    const hit = this.bodies.get(feed);
    if (hit && hit.etag === version.etag) return hit.body;
    const body = await this.renderBytes(spec, now, version);
    if (hit) {
      this.bodies.delete(feed);
      this.bodyBytes -= hit.body.length;
    }
    if (body.length <= this.cache.maxBodyBytes / 2) {
      this.bodies.set(feed, { etag: version.etag, body });
      this.bodyBytes += body.length;
      for (const [k, old] of this.bodies) {
        if (this.bodyBytes <= this.cache.maxBodyBytes && this.bodies.size <= this.cache.maxFeeds) break;
        this.bodies.delete(k);
        this.bodyBytes -= old.body.length;
      }
    }
    return body;
  }

  /** The feed's text (a download, a test). */
  async render(spec: FeedSpec, now: Date, version?: FeedVersion): Promise<string> {
    return (await this.renderBytes(spec, now, version)).toString('utf8');
  }

  /** The feed as UTF-8 bytes. Pass the version from version() to reuse its reads. */
  async renderBytes(spec: FeedSpec, now: Date, version?: FeedVersion): Promise<Buffer> {
    if (spec.kind === 'deadlines') {
      const deadlines = await this.cases.list(spec.unit);
      return renderDeadlineCalendar(
        { name: `${spec.unit}信访件办理期限`, description: `${spec.unit}承办的信访件尚未届满的法定期限（只含编号和类别）` },
        deadlines,
        meetingEvents(await this.meetings.unitMeetings(spec.unit, this.window(now).fromDate)), // the 会商 the unit is invited to
      );
    }
    const dims = version?.dims ?? (await this.roster.dimensionsFor(this.scope(spec), this.window(now)));
    const sessions = await this.roster.sessions(this.scope(spec), this.window(now), dims);
    const input: SessionCalendarInput = {
      audience: audienceOf(spec),
      meta: this.meta(spec),
      sessions,
      leaders: dims.leaders,
      venues: dims.venues,
      scheduleUrl: `${this.base}/schedule`,
      briefingUrl: (s) => this.briefingUrl(s.uid),
      viewerLeaderId: spec.kind === 'leader' ? spec.leader.id : undefined,
      provisional: this.provisionalDates(),
    };
    if (spec.kind !== 'leader') return renderSessionCalendar(input);
    // The leader's own feed also holds the 会商 and 联席会议 they are invited to.
    const meetings = await this.meetings.meetings(spec.leader.id, this.window(now).fromDate);
    return renderCalendar(input.meta, [...sessionEvents(input), ...meetingEvents(meetings)]);
  }

  /** Where a leader reads a session's briefing: the configured link, or the Lark bot's chat. */
  private briefingUrl(uid: string): string | null {
    const appId = this.settings.LARK_APP_ID ?? '';
    const tpl = this.settings.FEED_BRIEFING_URL ?? (appId ? 'https://applink.feishu.cn/client/bot/open?appId={appId}' : null);
    if (!tpl) return null;
    return tpl.replace('{base}', this.base).replace('{uid}', encodeURIComponent(uid)).replace('{appId}', encodeURIComponent(appId));
  }

  /**
   * The leaders and venues the feed names (see RosterFeedQueries.dimensionsFor), kept a few
   * seconds per feed and session signal: a session written (perhaps with a leader the feed did
   * not name yet) reads them again at once; a leader renamed shows within the few seconds.
   */
  private async dimensions(spec: Exclude<FeedSpec, { kind: 'deadlines' }>, window: FeedWindow, signal: string): Promise<FeedDimensions> {
    const t = Date.now();
    const key = `${specKey(spec)}|${window.fromDate}|${window.cancelFromDate}|${signal}`;
    const hit = this.dims.get(key);
    if (hit && t >= hit.at && t - hit.at < this.cache.dimensionsTtlMs) return hit.value;
    const value = await this.roster.dimensionsFor(this.scope(spec), window);
    this.dims.delete(key);
    this.dims.set(key, { at: t, value });
    if (this.dims.size > this.cache.maxFeeds) this.dims.delete(this.dims.keys().next().value!);
    return value;
  }

  private meta(spec: Exclude<FeedSpec, { kind: 'deadlines' }>) {
    switch (spec.kind) {
      case 'public':
        return { name: this.settings.FEED_PUBLIC_TITLE, description: '县、乡镇领导干部接访下访的日期、时间和地点（政务公开）' };
      case 'leader':
        return { name: `${spec.leader.name}的接访下访日程`, description: `${spec.leader.title}${spec.leader.name}的接访、下访和约访安排` };
      case 'venue':
        return { name: `${spec.venue.name}接访日程`, description: `在${spec.venue.name}的领导接访安排` };
      case 'plan':
        return { name: `${spec.year}年领导干部接访下访计划`, description: `${spec.year}年全部接访、下访和约访场次（含已取消）` };
    }
  }

  private scope(spec: Exclude<FeedSpec, { kind: 'deadlines' }>): SessionScope {
    switch (spec.kind) {
      case 'public':
        return { kind: 'public' };
      case 'leader':
        return { kind: 'leader', leaderId: spec.leader.id };
      case 'venue':
        return { kind: 'venue', venueId: spec.venue.id };
      case 'plan':
        return { kind: 'plan', year: spec.year };
    }
  }

  private window(now: Date) {
    return feedWindow(now, this.settings.FEED_PAST_DAYS, this.settings.FEED_CANCELLED_DAYS);
  }

  private provisionalDates(): ((date: string) => boolean) | undefined {
    const known = new Set(this.knownYears());
    if (!known.size) return undefined;
    return (date) => !known.has(Number(date.slice(0, 4)));
  }

  private settingsKey(): string {
    const s = this.settings;
    // Importing a year's holidays turns its tentative sessions confirmed: the ETag must change.
    return [s.PUBLIC_BASE_URL, s.FEED_PUBLIC_TITLE, s.FEED_BRIEFING_URL ?? '', s.LARK_APP_ID ?? '', this.knownYears().join(',')].join('\u0000');
  }
}

function audienceOf(spec: Exclude<FeedSpec, { kind: 'deadlines' }>): SessionAudience {
  return spec.kind;
}

function specKey(spec: FeedSpec): string {
  switch (spec.kind) {
    case 'public':
      return 'public';
    case 'leader':
      return `leader:${spec.leader.id}:${spec.leader.name}:${spec.leader.title}`;
    case 'venue':
      return `venue:${spec.venue.id}`;
    case 'deadlines':
      return `deadlines:${spec.unit}`;
    case 'plan':
      return `plan:${spec.year}`;
  }
}
