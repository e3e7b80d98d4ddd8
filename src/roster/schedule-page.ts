import type { Express, Request, Response } from 'express';
import { addDays, formatChineseDate, IsoDate, shanghaiDate } from '../platform/calendar/domain';
import type { Core } from '../platform/core/feature';
import type { RosterStore } from './roster-store';
import type { SessionView } from './session-view';
import { publicThirdPartyText, ThirdParty } from './domain/third-party-rules';
import { ThirdPartyStore } from './third-party-store';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SchedulePageData {
  sessions: SessionView[];
  /** Dates in a year without the State Council's holiday notice: the day may still change. */
  provisional: (date: IsoDate) => boolean;
  today: IsoDate;
  days: number;
  towns: string[];
  town: string | null;
  unknownTown: string | null;
  showNames: boolean;
  /** 第三方力量 per session id: “律师参与接访”, names only with THIRD_PARTY_NAMES_PUBLIC. */
  thirdParties?: Map<number, Array<Pick<ThirdParty, 'kind' | 'name'>>>;
  thirdPartyNames?: boolean;
}

/**
 * What the public may see of a session (政务公开): when, where, what kind, and the leader's
 * post. Names only when the bureau turns SCHEDULE_SHOW_NAMES on; never notes, focus, outcomes,
 * accompanying units or anything about petitioners.
 */
function who(s: SessionView, showNames: boolean): string {
  return s.leaders.map((l) => (showNames ? `${l.name}（${l.title}）` : l.title)).join('、') || '待定';
}

const STATUS_BADGE: Partial<Record<SessionView['status'], string>> = {
  changed: '<span class="badge changed">已调整</span>',
  cancelled: '<span class="badge cancelled">已取消</span>',
};

function thirdPartyLine(d: SchedulePageData, s: SessionView): string {
  const line = s.status === 'cancelled' ? null : publicThirdPartyText(d.thirdParties?.get(s.id) ?? [], d.thirdPartyNames ?? false);
  return line ? `<div class="third">${esc(line)}</div>` : '';
}

export function renderSchedulePage(d: SchedulePageData): string {
  const byDate = new Map<string, SessionView[]>();
  for (const s of d.sessions) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  const last = addDays(d.today, d.days - 1);
  const days = [...byDate.entries()]
    .map(([date, list]) => `
    <section class="day" data-date="${date}">
      <h2>${esc(formatChineseDate(date))}${date === d.today ? ' <span class="today">今天</span>' : ''}</h2>
      <ul>${list.map((s) => `
        <li class="session${s.status === 'cancelled' ? ' is-cancelled' : ''}">
          <div class="time">${esc(s.slot)} ${esc(s.startTime)}—${esc(s.endTime)} ${STATUS_BADGE[s.status] ?? ''}${
            d.provisional(s.date) && s.status !== 'cancelled' ? '<span class="badge provisional">暂定</span>' : ''}</div>
          <div class="venue">${esc(s.venueName)}<span class="type">${esc(s.type)}</span></div>
          ${s.venueAddress ? `<div class="addr">${esc(s.venueAddress)}</div>` : ''}
          <div class="leader">接访领导：${esc(who(s, d.showNames))}</div>
          ${thirdPartyLine(d, s)}
        </li>`).join('')}
      </ul>
    </section>`)
    .join('');
  const filter = d.towns.length
    ? `<nav class="towns"><a href="/schedule"${d.town ? '' : ' class="on"'}>全部</a>${d.towns
        .map((t) => `<a href="/schedule?town=${encodeURIComponent(t)}"${t === d.town ? ' class="on"' : ''}>${esc(t)}</a>`)
        .join('')}</nav>`
    : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>领导干部接访下访安排</title>
<style>
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.6 -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #1f2329; background: #f5f6f7; }
  header { background: #b71c1c; color: #fff; padding: 16px; }
  header h1 { margin: 0; font-size: 20px; }
  header p { margin: 4px 0 0; font-size: 14px; opacity: .9; }
  main { max-width: 720px; margin: 0 auto; padding: 12px; }
  .towns { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 12px; }
  .towns a { padding: 4px 10px; border-radius: 14px; background: #fff; color: #1f2329; text-decoration: none; font-size: 14px; border: 1px solid #dee0e3; }
  .towns a.on { background: #b71c1c; color: #fff; border-color: #b71c1c; }
  .day h2 { font-size: 17px; margin: 16px 0 8px; }
  .today { font-size: 12px; background: #e8f3ff; color: #1456f0; padding: 1px 6px; border-radius: 8px; vertical-align: middle; }
  ul { list-style: none; margin: 0; padding: 0; }
  .session { background: #fff; border-radius: 8px; padding: 12px; margin-bottom: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.06); overflow-wrap: anywhere; }
  .time { font-weight: 600; }
  .venue { margin-top: 2px; }
  .type { margin-left: 8px; font-size: 13px; color: #646a73; border: 1px solid #dee0e3; border-radius: 4px; padding: 0 4px; }
  .addr, .leader, .third { font-size: 14px; color: #646a73; }
  .badge { font-size: 12px; border-radius: 4px; padding: 0 6px; margin-left: 4px; font-weight: 400; }
  .badge.changed { background: #fff4e5; color: #b26a00; }
  .badge.cancelled { background: #ffeceb; color: #c0392b; }
  .badge.provisional { background: #f2f3f5; color: #646a73; }
  .is-cancelled .venue, .is-cancelled .time { text-decoration: line-through; color: #8f959e; }
  .empty { background: #fff; padding: 24px; border-radius: 8px; text-align: center; color: #646a73; }
  footer { max-width: 720px; margin: 0 auto; padding: 12px 12px 32px; font-size: 13px; color: #8f959e; }
</style>
</head>
<body>
<header>
  <h1>领导干部接访下访安排</h1>
  <p>${esc(formatChineseDate(d.today, false))}至${esc(formatChineseDate(last, false))}${d.town ? ` · ${esc(d.town)}` : ''}</p>
</header>
<main>
  ${filter}
  ${d.unknownTown ? `<p class="empty">没有找到“${esc(d.unknownTown)}”，以下为全部安排。</p>` : ''}
  ${days || '<p class="empty">近期没有公开的接访安排。</p>'}
</main>
<footer>群众可在上述时间到接访地点反映诉求。安排如有调整，以本页为准；标注“已取消”的场次不再接待；标注“暂定”的场次所在年份的节假日安排尚未公布，日期可能调整。</footer>
</body>
</html>`;
}

/** GET /schedule: the public reception schedule. No login, no personal data. */
export function mountSchedulePage(app: Express, core: Core, store: RosterStore): void {
  app.get('/schedule', async (req: Request, res: Response) => {
    const today = shanghaiDate(core.now());
    const days = core.config.SCHEDULE_DAYS;
    const all = await store.sessions.listSessions({ from: today, to: addDays(today, days - 1), includeCancelled: true });
    const venues = await store.leaders.listVenues();
    const towns = [...new Set(venues.map((v) => v.town).filter((t): t is string => !!t))];
    const asked = typeof req.query.town === 'string' ? req.query.town.trim().slice(0, 32) : '';
    const town = asked && towns.includes(asked) ? asked : null;
    const sessions = town ? all.filter((s) => s.venueTown === town) : all;
    res.set({
      'Cache-Control': 'public, max-age=300',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    const cal = core.calendar.calendar;
    res.type('html').send(renderSchedulePage({
      sessions, provisional: (date) => !cal.isKnown(date), today, days, towns, town, unknownTown: asked && !town ? asked : null, showNames: core.config.SCHEDULE_SHOW_NAMES,
      thirdParties: await new ThirdPartyStore(core.db).ofSessions(sessions.map((s) => s.id)), thirdPartyNames: core.config.THIRD_PARTY_NAMES_PUBLIC,
    }));
  });
}
