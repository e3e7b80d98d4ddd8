import { normalizeLabel, parsePetitionBlock, startsWithPetitionField } from '../../../src/intake/domain/block-parser';

const asObject = (text: string) => Object.fromEntries(parsePetitionBlock(text).entries.map((e) => [e.key, e.raw]));

test('登记 then 字段：值 lines, full-width or ASCII colon, aliases', () => {
  const text = [
    '登记',
    '姓名：王某某',
    '公民身份号码: 11010519491231002X',
    '联系电话：13812345678',
    '住址：阳城镇新村路3号',
    '人数：2',
    '信访形式：来访',
    '属地：阳城镇',
    '类别：城乡建设',
    '诉求：村道被占，要求恢复通行。',
  ].join('\n');
  expect(asObject(text)).toEqual({
    name: '王某某', idNumber: '11010519491231002X', phone: '13812345678', address: '阳城镇新村路3号', headcount: '2',
    channel: '来访', town: '阳城镇', category: '城乡建设', content: '村道被占，要求恢复通行。',
  });
});

test('事项内容 runs over several lines until the next known field; unknown labels stay inside it', () => {
  const r = parsePetitionBlock('登记 姓名：李某\n事项内容：第一段。\n时间：2025年6月\n对方电话：0763-1234567\n\n第三段。\n电话：13812345678');
  expect(Object.fromEntries(r.entries.map((e) => [e.key, e.raw]))).toEqual({
    name: '李某',
    content: '第一段。\n时间：2025年6月\n对方电话：0763-1234567\n\n第三段。',
    phone: '13812345678',
  });
  expect(r.unknown).toEqual([]);
});

test('paper-form habits: spaced labels, numbering, brackets, two fields on one row', () => {
  const r = parsePetitionBlock('姓　名：赵某\n2、身份证：11010519491231002X\n【问题类别】：教育\n手机：13812345678  性别：男');
  expect(Object.fromEntries(r.entries.map((e) => [e.key, e.raw]))).toEqual({
    name: '赵某', idNumber: '11010519491231002X', category: '教育', phone: '13812345678',
  });
  expect(r.unknown).toEqual(['性别：男']);
});

test('a value on the next line, a field given twice, and lines that fit nowhere', () => {
  const r = parsePetitionBlock('登记\n姓名：\n钱某\n人数：1\n人数：3\n备注：加急\n随便写的一行');
  expect(Object.fromEntries(r.entries.map((e) => [e.key, e.raw]))).toEqual({ name: '钱某', headcount: '3' });
  expect(r.duplicates).toEqual(['headcount']);
  expect(r.unknown).toEqual(['备注：加急', '随便写的一行']);
});

test('登记时间 is a field, not the word 登记 followed by 时间', () => {
  expect(asObject('登记时间：2026-03-09 08:30')).toEqual({ receivedAt: '2026-03-09 08:30' });
  expect(asObject('登记\n登记时间：昨天')).toEqual({ receivedAt: '昨天' });
});

test('SQL-looking values pass through untouched', () => {
  expect(asObject("登记\n事项内容：'); DELETE FROM cases; --\n第二行")).toEqual({ content: "'); DELETE FROM cases; --\n第二行" });
});

test('whether a text starts with a known field', () => {
  expect(startsWithPetitionField('电话：13812345678')).toBe(true);
  expect(startsWithPetitionField('诉求: 要求补发工资')).toBe(true);
  expect(startsWithPetitionField('时间：明天')).toBe(false);
  expect(startsWithPetitionField('要求补发工资')).toBe(false);
  expect(normalizeLabel(' 1. 【姓 名】* ')).toBe('姓名');
});
