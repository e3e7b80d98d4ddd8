import { maskIdNumber, maskPersonalDataInText, maskPhone } from '../../../src/platform/personal-data/masking';

test('ID numbers keep the region code and the last four', () => {
  expect(maskIdNumber('441823199001016012')).toBe('441823********6012');
  expect(maskIdNumber('44182319900101601X')).toBe('441823********601X');
  expect(maskIdNumber(null)).toBe('');
});

test('mobiles keep 3 + 4 digits, landlines the area code', () => {
  expect(maskPhone('13812345678')).toBe('138****5678');
  expect(maskPhone('0763-6621234')).toBe('0763-*****34');
});

test('free text loses every ID number and mobile it contains', () => {
  const t = maskPersonalDataInText('身份证441823199001016012，电话13812345678，金额20000元');
  expect(t).toBe('身份证441823********6012，电话138****5678，金额20000元');
});
