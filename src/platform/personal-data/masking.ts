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

/** Masks every 18-digit ID number and mobile number inside free text (for cards in groups, logs). */
export function maskPersonalDataInText(text: string): string {
  return text
    .replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2')
    .replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** 张三丰 -> 张**; what a group may read of a petitioner's name. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.length ? '*' : '';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
