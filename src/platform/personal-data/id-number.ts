import { isIsoDate, IsoDate } from '../calendar/domain/dates';

/**
 * 公民身份号码 (GB 11643-1999): 6-digit region code, 8-digit birth date (YYYYMMDD), 3-digit
 * sequence (odd for men), and a check character computed with ISO 7064 MOD 11-2.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberCheck =
  | { ok: true; value: string; birthDate: IsoDate; sex: '男' | '女' }
  | { ok: false; reason: string };

/** The check character (0–9 or X) for the first 17 digits. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Full-width digits and letters as people type them on a phone, spaces and dashes removed. */
export function normalizeIdNumber(raw: string): string {
  return String(raw).normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
}

/**
 * Checks a typed ID number. `today` (Shanghai date) bounds the birth date. The reason never
 * repeats the number (it may be shown in a group) nor the expected check character (which would
 * invite fixing the last digit instead of finding the real typo).
 */
export function validateIdNumber(raw: string, today: IsoDate): IdNumberCheck {
  const s = normalizeIdNumber(raw);
  if (s === '') return { ok: false, reason: '请填写身份证号。' };
  if (/^\d{15}$/.test(s)) {
    return {
      ok: false,
      reason: '这是15位的旧身份证号（已于2013年停止使用），请填写信访人现用的18位公民身份号码。',
    };
  }
  if (!/^\d{17}[\dX]$/.test(s)) {
    const digits = [...s].length;
    return {
      ok: false,
      reason: `身份证号应为18位：前17位是数字，最后一位是数字或X（您输入的是${digits}位${/[^\dX]/.test(s) ? '，且含有其他字符' : ''}）。`,
    };
  }
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!isIsoDate(birth)) {
    return { ok: false, reason: `身份证号中的出生日期（第7–14位 ${s.slice(6, 14)}）不是真实的日期，请核对。` };
  }
  if (birth > today) {
    return { ok: false, reason: `身份证号中的出生日期（${s.slice(6, 14)}）晚于今天，请核对。` };
  }
  if (idCheckChar(s.slice(0, 17)) !== s[17]) {
    return { ok: false, reason: '身份证号校验位不正确（号码可能抄错了一位），请逐位核对后重新输入。' };
  }
  return { ok: true, value: s, birthDate: birth, sex: Number(s[16]) % 2 === 1 ? '男' : '女' };
}
