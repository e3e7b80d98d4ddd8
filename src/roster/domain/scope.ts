import type { RosterLeader, RosterVenue } from './types';

/** What 接访安排 <words> names: a town's venues, one leader, several leaders, or nothing known. */
export type ScopeMatch =
  | { kind: 'town'; town: string; venueIds: string[] }
  | { kind: 'leader'; leader: RosterLeader }
  | { kind: 'ambiguous'; choices: string[] }
  | { kind: 'none' };

const CENTRE_WORDS = ['县城', '县中心', '县群众来访接待中心', '接待中心'];

/** Finds a town (阳城 or 阳城镇), the county centre, or a leader (by name, or a title that fits one leader among `leaders`). */
export function matchScope(query: string, venues: RosterVenue[], leaders: RosterLeader[]): ScopeMatch {
  const q = query.trim();
  if (!q) return { kind: 'none' };
  const towns = [...new Set(venues.map((v) => v.town).filter((t): t is string => !!t))];
  const town = towns.find((t) => t === q) ?? (q.length >= 2 ? towns.find((t) => t.startsWith(q)) : undefined);
  if (town) return { kind: 'town', town, venueIds: venues.filter((v) => v.town === town).map((v) => v.id) };
  if (CENTRE_WORDS.includes(q)) {
    const c = venues.filter((v) => v.kind === 'center');
    if (c.length) return { kind: 'town', town: c[0].name, venueIds: c.map((v) => v.id) };
  }
  const byName = leaders.filter((l) => l.name === q || l.id === q);
  if (byName.length === 1) return { kind: 'leader', leader: byName[0] };
  const byTitle = byName.length ? byName : leaders.filter((l) => l.title === q || l.title.includes(q));
  if (byTitle.length === 1) return { kind: 'leader', leader: byTitle[0] };
  if (byTitle.length > 1) return { kind: 'ambiguous', choices: byTitle.slice(0, 10).map((l) => `${l.name}（${l.title}）`) };
  return { kind: 'none' };
}
