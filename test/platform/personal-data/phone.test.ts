import { validatePhone } from '../../../src/platform/personal-data/phone';

test.each([
  ['13812345678', '13812345678', 'mobile'],
  ['138 1234 5678', '13812345678', 'mobile'],
  ['+86 138-1234-5678', '13812345678', 'mobile'],
  ['１９９１２３４５６７８', '19912345678', 'mobile'],
  ['0763-6621234', '0763-6621234', 'landline'],
  ['07636621234', '0763-6621234', 'landline'],
  ['(0763)6621234', '0763-6621234', 'landline'],
  ['01012345678', '010-12345678', 'landline'],
  ['020-1234567', '020-1234567', 'landline'],
  ['6621234', '6621234', 'landline'],
])('%s is accepted as %s', (raw, value, kind) => {
  expect(validatePhone(raw)).toEqual({ ok: true, value, kind });
});

test.each([
  ['12812345678', '第二位'],
  ['1381234567', '11位'],
  ['138123456789', '11位'],
  ['0763-12345', '格式不对'],
  ['076312345', '位数不对'],
  ['123', '11位'],
  ['abc', '格式不对'],
  ['', '请填写'],
])('%s is refused (%s)', (raw, why) => {
  const r = validatePhone(raw);
  expect(r.ok).toBe(false);
  expect((r as { reason: string }).reason).toContain(why);
});
