import { IsoDate, parseDayWord } from '../../platform/calendar/domain';
import { SLOTS, Slot } from './types';

/** What 调整接访 <编号> … asks for, read from the words typed. */
export type ChangeWords =
  | { kind: 'move'; sessionId: number; date: IsoDate; slot: Slot | undefined; reason: string | null }
  | { kind: 'reassign'; sessionId: number; fromName: string | null; toName: string; reason: string | null }
  | { kind: 'swap'; sessionId: number; otherId: number; reason: string | null };

const clipReason = (s: string | undefined) => (s ?? '').trim() || null;

/**
 * 调整接访 12 改到 明天 上午 原因 / 12 换成 黎嘉禾 原因 / 12 林启航 换成 黎嘉禾 / 12 与 34 对调 原因.
 * A string is the Chinese reason the words could not be read; null when none of the forms fits.
 */
export function parseChangeWords(args: string, today: IsoDate): ChangeWords | string | null {
  const a = args.trim();
  const move = /^(?:#|编号)?(\d+)\s*(?:改到|改为|改期到|调到|改期)\s*(\S+?)\s*(上午|下午|全天)?(?:\s+(.*))?$/.exec(a);
  if (move) {
    const date = parseDayWord(move[2], today); // 今天/明天/后天, 下周三, 12月3日, 2026-12-03
    if (!date) return `看不懂日期“${move[2]}”。可以写：明天、后天、下周三、12月3日 或 2026-12-03`;
    const slot = move[3] as Slot | undefined;
    if (slot !== undefined && !SLOTS.includes(slot)) return '时段应为 上午、下午 或 全天';
    return { kind: 'move', sessionId: Number(move[1]), date, slot, reason: clipReason(move[4]) };
  }
  const reassign = /^(?:#|编号)?(\d+)\s*(?:(\S+?)\s*)?(?:换成|换为|改由)\s*(\S+?)(?:接访)?(?:\s+(.*))?$/.exec(a);
  if (reassign) {
    return { kind: 'reassign', sessionId: Number(reassign[1]), fromName: reassign[2] ?? null, toName: reassign[3], reason: clipReason(reassign[4]) };
  }
  const swap = /^(?:#|编号)?(\d+)\s*(?:与|和|跟)\s*(?:#|编号)?(\d+)\s*(?:对调|互换|调换)?\s*(.*)$/.exec(a);
  if (swap) return { kind: 'swap', sessionId: Number(swap[1]), otherId: Number(swap[2]), reason: clipReason(swap[3]) };
  return null;
}

/** A leader as typed: 黎嘉禾, or 黎嘉禾（阳城镇党委书记） as the cards write it. */
export function leaderNameOf(typed: string): string {
  return typed.trim().replace(/[（(].*[）)]$/, '').trim();
}
