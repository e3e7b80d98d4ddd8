/**
 * Masks for personal data: shown whole only to staff/admin asking for one case in a P2P chat.
 * 441823199001016012 -> 441823********6012; 13812345678 -> 138****5678.
 */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  const s = id.trim();
  if (s.length <= 10) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}

export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const s = phone.trim();
  if (/^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  // Landline (e.g. 0763-1234567): keep the area code and the last two digits.
  const m = /^(\d{3,4})-?(\d+)$/.exec(s);
  if (m) return `${m[1]}-${'*'.repeat(Math.max(m[2].length - 2, 1))}${m[2].slice(-2)}`;
  return s.length <= 4 ? '*'.repeat(s.length) : `${'*'.repeat(s.length - 4)}${s.slice(-4)}`;
}

// Digits as people type them: ASCII or full-width (１３８…), which an input method often gives.
const D = '[0-9\uFF10-\uFF19]';
const NOT_D_BEFORE = `(?<!${D})`;
const NOT_D_AFTER = `(?!${D})`;
/** One space or dash between groups of digits (138 1234 5678, 138-1234-5678), never a line break. */
const SEP = '[ \u3000\\-\uFF0D]?';

const ID_18 = new RegExp(`${NOT_D_BEFORE}(${D}{6})${D}{8}(${D}{3}[0-9\uFF10-\uFF19XxＸｘ])(?![0-9\uFF10-\uFF19XxＸｘ])`, 'g');
const ID_15 = new RegExp(`${NOT_D_BEFORE}(${D}{6})(${D}{5})(${D}{4})${NOT_D_AFTER}`, 'g');
const MOBILE = new RegExp(
  `${NOT_D_BEFORE}((?:[+＋]?(?:86|８６)${SEP})?[1１][3-9\uFF13-\uFF19]${D})(${SEP})${D}{4}(${SEP})(${D}{4})${NOT_D_AFTER}`,
  'g',
);
// A landline with its area code (0 + 2 or 3 digits): 0763-1234567, (0763)1234567, 07631234567, 010 12345678.
const LANDLINE = new RegExp(`${NOT_D_BEFORE}([(（]?0[1-9\uFF11-\uFF19]${D}{1,2}[)）]?${SEP})(${D}{5,6})(${D}{2})${NOT_D_AFTER}`, 'g');

/** A month and day as an old 15-digit ID number carries them (YYMMDD at 7–12): not any 15 digits. */
function oldIdBirth(digits5: string, next: string): boolean {
  const s = `${digits5}${next}`.normalize('NFKC');
  const month = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * Masks every ID number (18 digits, or the old 15), mobile and landline inside free text (for cards
 * in groups, logs), however typed: with spaces or dashes, +86, full-width digits. Case numbers
 * (2026-000322), dates, times and amounts are left alone: none has the shape of these numbers.
 */
export function maskPersonalDataInText(text: string): string {
  return text
    .replace(ID_18, '$1********$2')
    .replace(ID_15, (all, region: string, mid: string, last: string) => (oldIdBirth(mid, last[0]) ? `${region}*****${last}` : all))
    .replace(MOBILE, '$1$2****$3$4')
    .replace(LANDLINE, (_all, area: string, hidden: string, last: string) => `${area}${'*'.repeat(hidden.length)}${last}`);
}

/** 张三丰 -> 张**; what a group may read of a petitioner's name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.length ? '*' : '';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
