import { createLogger } from '../../../src/platform/logging/logger';

test('errors are logged with ID numbers and phones masked, even inside SQL', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (s: string) => void lines.push(s) });
  const err = Object.assign(new Error("insert into `cases` (`id_number`, `phone`) values ('441823199001016012', '13812345678') - Duplicate entry"), {
    sql: "insert into cases values ('441823199001016012')",
  });
  log.error({ err, text: '身份证 441823199001016012' }, 'save failed');
  const out = lines.join('');
  expect(out).toContain('save failed');
  expect(out).toContain('441823********6012');
  expect(out).not.toContain('441823199001016012');
  expect(out).not.toContain('13812345678');
});
