/** A meeting's half-day: what a reception session's slot is compared with. */
export type MeetingSlot = '上午' | '下午' | '晚上';

export interface MeetingTime {
  slot: MeetingSlot;
  /** HH:MM, Asia/Shanghai wall clock. */
  start: string;
  end: string;
}

/** The hours a half-day stands for when only 上午/下午 is given. */
export const SLOT_HOURS: Record<MeetingSlot, { start: string; end: string }> = {
  上午: { start: '09:00', end: '11:30' },
  下午: { start: '14:30', end: '17:00' },
  晚上: { start: '19:30', end: '21:00' },
};

/** A meeting of unknown length is taken to last two hours. */
const DEFAULT_MINUTES = 120;

const CLOCK = '(\\d{1,2})(?:[:：](\\d{2})|点(半|\\d{1,2}分?)?|时)?';
const ONE = new RegExp(`^(上午|下午|晚上)?${CLOCK}$`);
const RANGE = new RegExp(`^(上午|下午|晚上)?${CLOCK}[-—–~～至到]${CLOCK}$`);

/**
 * A time as a person writes it: 上午, 下午, 晚上 (the half-day's usual hours), 14:30, 下午3点,
 * 下午3点半, 9:00-11:00, 下午2点至4点. Null when it is none of these or no such time exists.
 */
export function parseMeetingTime(input: string): MeetingTime | null {
  const s = input.trim().replace(/\s+/g, '');
  if (s === '上午' || s === '下午' || s === '晚上') return { slot: s, ...SLOT_HOURS[s] };
  const range = RANGE.exec(s);
  if (range) {
    const start = clock(range[1], range[2], range[3], range[4]);
    const end = clock(range[1], range[5], range[6], range[7], start);
    if (!start || !end || end <= start) return null;
    return { slot: slotOf(start), start, end };
  }
  const one = ONE.exec(s);
  if (!one) return null;
  const start = clock(one[1], one[2], one[3], one[4]);
  if (!start) return null;
  return { slot: slotOf(start), start, end: plusMinutes(start, DEFAULT_MINUTES) };
}

/** A range whose end, as written, is not after its start (14:00-11:00): refused by name, not as unreadable. */
export function endNotAfterStart(input: string): boolean {
  const range = RANGE.exec(input.trim().replace(/\s+/g, ''));
  if (!range) return false;
  const start = clock(range[1], range[2], range[3], range[4]);
  const end = clock(range[1], range[5], range[6], range[7], start);
  return Boolean(start && end && end <= start);
}

/** HH:MM from the parts of CLOCK; 下午3点 is 15:00; `after`: an end's hour without minutes read past the start (2点至4点 after 14:00). */
function clock(half: string | undefined, h: string, mm: string | undefined, point: string | undefined, after?: string | null): string | null {
  let hour = Number(h);
  let minute = mm !== undefined ? Number(mm) : 0;
  if (point === '半') minute = 30;
  else if (point) minute = Number(point.replace('分', ''));
  if ((half === '下午' || half === '晚上') && hour < 12) hour += 12;
  // Only an hour without minutes (4点, 4时) is read past the start: 11:00 written so is 11:00, not 23:00.
  if (after && mm === undefined && hour < 12 && `${pad(hour)}:${pad(minute)}` <= after && `${pad(hour + 12)}:${pad(minute)}` > after) hour += 12;
  if (hour > 23 || minute > 59) return null;
  return `${pad(hour)}:${pad(minute)}`;
}

export function slotOf(start: string): MeetingSlot {
  if (start < '12:00') return '上午';
  return start < '18:00' ? '下午' : '晚上';
}

function plusMinutes(t: string, minutes: number): string {
  const [h, m] = t.split(':').map(Number);
  const total = Math.min(h * 60 + m + minutes, 23 * 60 + 59);
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A reception session's time, as the roster keeps it. */
export interface SessionTime {
  slot: string;
  startTime: string;
  endTime: string;
}

/**
 * Whether a reception session takes the meeting's half-day: a 全天 session, the same half-day,
 * or hours that overlap (a morning session running past noon).
 */
export function clashesWithSession(m: MeetingTime, s: SessionTime): boolean {
  if (s.slot === '全天' || s.slot === m.slot) return true;
  return s.startTime < m.end && m.start < s.endTime;
}
