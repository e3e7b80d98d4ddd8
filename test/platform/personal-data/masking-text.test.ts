import fc from 'fast-check';
import { maskPersonalDataInText } from '../../../src/platform/personal-data/masking';

/** The digits of a text, full-width ones read as ASCII, with every other character dropped. */
const digitsOf = (s: string) => s.normalize('NFKC').replace(/[^\dXx]/g, '');

describe('phone numbers inside free text are masked, however they are written', () => {
  test.each([
    ['请拨13812345678联系', '请拨138****5678联系'],
    ['电话 138 1234 5678。', '电话 138 **** 5678。'],
    ['电话138-1234-5678，', '电话138-****-5678，'],
    ['电话+86 13812345678', '电话+86 138****5678'],
    ['电话+86-138-1234-5678', '电话+86-138-****-5678'],
    ['电话8613812345678', '电话86138****5678'],
    ['电话１３８１２３４５６７８', '电话１３８****５６７８'],
    ['座机0763-1234567', '座机0763-*****67'],
    ['座机(0763)1234567', '座机(0763)*****67'],
    ['座机（0763）1234567', '座机（0763）*****67'],
    ['座机07631234567', '座机0763*****67'],
    ['座机010-12345678', '座机010-******78'],
    ['座机0763 1234567', '座机0763 *****67'],
  ])('%s → %s', (raw, masked) => {
    expect(maskPersonalDataInText(raw)).toBe(masked);
  });
});

describe('ID numbers inside free text are masked', () => {
  test.each([
    ['身份证441823199001016012。', '身份证441823********6012。'],
    ['身份证44182319900101601x', '身份证441823********601x'],
    ['身份证44182319900101601X', '身份证441823********601X'],
    ['旧身份证441823900101601号', '旧身份证441823*****1601号'],
    ['身份证４４１８２３１９９００１０１６０１２', '身份证４４１８２３********６０１２'],
  ])('%s → %s', (raw, masked) => {
    expect(maskPersonalDataInText(raw)).toBe(masked);
  });
});

describe('what is not personal data stays as it is', () => {
  test.each([
    '案件 2026-000322 已交办',
    '案件2026-000322、2026-012345',
    '于2026-12-05前办结',
    '日期20261205',
    '拖欠工资12000元',
    '金额 1380000 元',
    '上午 09:30—11:30',
    '2026年12月5日 14:30',
    '面积120.5平方米，共3户',
  ])('%s', (t) => {
    expect(maskPersonalDataInText(t)).toBe(t);
  });
});

// Property: whatever surrounds it, a mobile, a landline or an ID number loses its hidden digits, and
// the case numbers, dates and amounts around it are untouched.
const digit = fc.constantFrom(...'0123456789');
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((a) => a.join(''));
const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

const mobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([b, rest]) => `1${b}${rest}`);
const mobileWritten = fc.tuple(mobile, fc.constantFrom('', ' ', '-'), fc.constantFrom('', '+86 ', '86', '+86-'), fc.boolean()).map(
  ([m, sep, prefix, wide]) => {
    const s = `${prefix}${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)}`;
    return { written: wide ? fullWidth(s) : s, stars: 4 };
  },
);
const landlineWritten = fc.tuple(fc.constantFrom('010', '020', '0763', '0755'), fc.constantFrom(...'2345678'), digits(6), fc.constantFrom('-', '', ' ', '()')).map(
  ([area, first, rest, sep]) => {
    const local = `${first}${rest}`;
    const written = sep === '()' ? `(${area})${local}` : `${area}${sep}${local}`;
    return { written, stars: local.length - 2 };
  },
);
const idWritten = fc.tuple(digits(6), fc.integer({ min: 1950, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3), fc.constantFrom(...'0123456789Xx')).map(
  ([region, y, m, d, seq, check]) => {
    const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
    return { written: `${region}${birth}${seq}${check}`, stars: 8 };
  },
);
const oldIdWritten = fc.tuple(digits(6), fc.integer({ min: 50, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), digits(3)).map(
  ([region, y, m, d, seq]) => {
    const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
    return { written: `${region}${birth}${seq}`, stars: 5 };
  },
);
const neutral = fc.constantFrom('案件 2026-000322', '于2026-12-05前', '拖欠12000元', '09:30', '，', '反映', ' ', '2026年12月5日');

test('property: personal data in any surrounding loses its middle digits; neutral text around it stays', () => {
  fc.assert(
    fc.property(neutral, fc.oneof(mobileWritten, landlineWritten, idWritten, oldIdWritten), neutral, (before, pd, after) => {
      const out = maskPersonalDataInText(`${before}：${pd.written}。${after}`);
      expect(out.startsWith(`${before}：`)).toBe(true);
      expect(out.endsWith(`。${after}`)).toBe(true);
      const maskedPart = out.slice(before.length + 1, out.length - after.length - 1);
      // The middle digits are gone, each one a star; the rest of the number reads as typed.
      expect(maskedPart.replace(/[^*]/g, '').length).toBe(pd.stars);
      expect(digitsOf(maskedPart).length).toBe(digitsOf(pd.written).length - pd.stars);
      expect(maskedPart.length).toBe(pd.written.length);
    }),
    { numRuns: 300 },
  );
});

test('property: masking twice changes nothing more', () => {
  fc.assert(
    fc.property(fc.oneof(mobileWritten, landlineWritten, idWritten, oldIdWritten), (pd) => {
      const once = maskPersonalDataInText(`电话或证件：${pd.written}`);
      expect(maskPersonalDataInText(once)).toBe(once);
    }),
    { numRuns: 200 },
  );
});
