/**
 * Phone numbers as staff type them: a mobile (1[3-9] + 9 digits), or a landline with its area
 * code (0763-6621234, 07636621234, 010-12345678) or without it (6621234, a local number).
 */
export type PhoneCheck = { ok: true; value: string; kind: 'mobile' | 'landline' } | { ok: false; reason: string };

const FORMAT_HINT = '手机请填11位（如 13812345678），固话请填“区号-号码”（如 0763-6621234）或7–8位本地号码';

export function validatePhone(raw: string): PhoneCheck {
  let s = String(raw).normalize('NFKC').replace(/[\s()（）]/g, '');
  if (s === '') return { ok: false, reason: '请填写联系电话。' };
  // +86 / 0086 / 86 before a mobile
  s = s.replace(/^\+86-?/, '').replace(/^(?:00)?86(?=-?1[\d-]{10,12}$)/, '').replace(/^-/, '');
  const digits = s.replace(/-/g, '');

  if (/^1\d*$/.test(digits)) {
    s = digits;
    if (s.length !== 11) return { ok: false, reason: `手机号应为11位数字（您输入的是${s.length}位）。` };
    if (!/^1[3-9]/.test(s)) return { ok: false, reason: '手机号第二位应为3–9，请核对。' };
    return { ok: true, value: s, kind: 'mobile' };
  }

  // Area code given with a dash: trust the split the person typed.
  let m = /^(0\d{2,3})-(\d{7,8})$/.exec(s);
  if (m) return { ok: true, value: `${m[1]}-${m[2]}`, kind: 'landline' };

  // Without a dash: 3-digit area codes are 010 and 02X, every other one has 4 digits.
  m = /^(0[12]\d|0[3-9]\d{2})(\d{7,8})$/.exec(s);
  if (m && /^0(10|2\d)$/.test(m[1]) === (m[1].length === 3)) return { ok: true, value: `${m[1]}-${m[2]}`, kind: 'landline' };
  if (/^0\d+$/.test(s)) return { ok: false, reason: `固话号码位数不对：${FORMAT_HINT}。` };

  if (/^[2-9]\d{6,7}$/.test(s)) return { ok: true, value: s, kind: 'landline' };
  return { ok: false, reason: `电话号码格式不对：${FORMAT_HINT}。` };
}
