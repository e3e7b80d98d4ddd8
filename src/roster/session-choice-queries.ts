import type { Knex } from 'knex';

const SLOT_ORDER: Record<string, number> = { 上午: 0, 全天: 1, 下午: 2 };

/**
 * The reception sessions held on a date (not cancelled), with their venue and leaders, as the
 * choices of 信访登记's 接访场次 field (intake reads them through the roster's index).
 */
export async function sessionChoicesOn(db: Knex, date: string): Promise<Array<{ id: number; label: string }>> {
  const rows = await db('sessions as s')
    .leftJoin('venues as v', 'v.id', 's.venue_id')
    .where('s.date', date)
    .whereNot('s.status', 'cancelled')
    .select('s.id', 's.slot', 's.start_time', 's.end_time', 's.type', 'v.name as venue');
  if (rows.length === 0) return [];
  const leaders = await db('session_leaders as sl')
    .join('leaders as l', 'l.id', 'sl.leader_id')
    .whereIn('sl.session_id', rows.map((r: any) => r.id))
    .orderBy([{ column: 'l.sort_order' }, { column: 'l.id' }])
    .select('sl.session_id', 'l.name', 'l.title');
  const bySession = new Map<number, string[]>();
  for (const l of leaders as any[]) {
    const id = Number(l.session_id);
    bySession.set(id, [...(bySession.get(id) ?? []), `${l.name} ${l.title}`.trim()]);
  }
  return (rows as any[])
    .sort((a, b) => (SLOT_ORDER[a.slot] ?? 9) - (SLOT_ORDER[b.slot] ?? 9) || String(a.start_time).localeCompare(String(b.start_time)) || a.id - b.id)
    .map((r) => {
      const who = bySession.get(Number(r.id));
      return {
        id: Number(r.id),
        label: `${r.slot} ${r.start_time}–${r.end_time} ${r.venue ?? ''}${r.type && r.type !== '接访' ? `（${r.type}）` : ''}${who?.length ? `：${who.join('、')}` : ''}`,
      };
    });
}
