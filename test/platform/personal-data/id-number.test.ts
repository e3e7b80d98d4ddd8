import fc from 'fast-check';
import { idCheckChar, validateIdNumber } from '../../../src/platform/personal-data/id-number';

const TODAY = '2026-03-10';

test('the check character follows GB 11643-1999 (the standard’s own example ends in X)', () => {
  expect(idCheckChar('11010519491231002')).toBe('X');
  expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31', sex: '女' });
  expect(validateIdNumber('441823199001016015', TODAY)).toMatchObject({ ok: true, birthDate: '1990-01-01', sex: '男' });
});

test('a lower-case x, full-width digits and spaces are read as typed on a phone', () => {
  expect(validateIdNumber('11010519491231002x', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  expect(validateIdNumber('４４１８２３ 19900101 6015', TODAY)).toMatchObject({ ok: true, value: '441823199001016015' });
});

test('a wrong check digit is refused without revealing the expected one or echoing the number', () => {
  const r = validateIdNumber('441823199001016012', TODAY);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.reason).toContain('校验位');
  expect(r.reason).not.toContain('441823');
  expect(r.reason).not.toMatch(/应为\s*5/);
});

test('impossible, future and pre-1900 birth dates are refused with the reason', () => {
  const withCheck = (first17: string) => first17 + idCheckChar(first17);
  const feb30 = validateIdNumber(withCheck('44182319900230601'), TODAY);
  expect(feb30).toMatchObject({ ok: false });
  expect((feb30 as { reason: string }).reason).toContain('不是真实的日期');
  expect((validateIdNumber(withCheck('44182320260311601'), TODAY) as { reason: string }).reason).toContain('晚于今天');
  expect((validateIdNumber(withCheck('44182318991231601'), TODAY) as { reason: string }).reason).toContain('不是真实的日期');
  expect(validateIdNumber(withCheck('44182320000229601'), TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
  expect(validateIdNumber(withCheck('44182319000229601'), TODAY)).toMatchObject({ ok: false }); // 1900 was not a leap year
});

test('15-digit old numbers and wrong lengths get their own reasons', () => {
  expect((validateIdNumber('441823900101601', TODAY) as { reason: string }).reason).toContain('15位');
  expect((validateIdNumber('4418231990010160', TODAY) as { reason: string }).reason).toContain('16位');
  expect((validateIdNumber('', TODAY) as { reason: string }).reason).toContain('请填写');
  expect((validateIdNumber('44182319900101601A', TODAY) as { reason: string }).reason).toContain('X');
});

const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-03-10T00:00:00Z'), noInvalidDate: true });
const idParts = fc.record({
  region: fc.integer({ min: 110000, max: 829999 }),
  birth: birthDate,
  seq: fc.integer({ min: 0, max: 999 }),
});
const first17 = ({ region, birth, seq }: { region: number; birth: Date; seq: number }) =>
  `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;

test('property: every number built with its check character is accepted', () => {
  fc.assert(
    fc.property(idParts, (p) => {
      const id = first17(p) + idCheckChar(first17(p));
      const r = validateIdNumber(id, TODAY);
      return r.ok && r.value === id && r.sex === (p.seq % 2 === 1 ? '男' : '女');
    }),
  );
});

test('property: changing any one digit of a valid number is always caught', () => {
  fc.assert(
    fc.property(idParts, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (p, pos, delta) => {
      const id = first17(p) + idCheckChar(first17(p));
      const typo = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
      return validateIdNumber(typo, TODAY).ok === false;
    }),
  );
});

test('property: swapping two different adjacent digits is always caught', () => {
  fc.assert(
    fc.property(idParts, fc.integer({ min: 0, max: 15 }), (p, pos) => {
      const id = first17(p) + idCheckChar(first17(p));
      fc.pre(id[pos] !== id[pos + 1]);
      const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
      return validateIdNumber(swapped, TODAY).ok === false;
    }),
  );
});
