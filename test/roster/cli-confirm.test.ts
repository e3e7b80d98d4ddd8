import { PassThrough } from 'node:stream';
import { askYesNo, QuestionInput } from '../../src/roster/cli-confirm';

function terminal(answer: string | null): QuestionInput {
  const s = Object.assign(new PassThrough(), { isTTY: true });
  if (answer === null) s.end();
  else s.end(`${answer}\n`);
  return s;
}

describe('askYesNo', () => {
  const io = () => {
    const o = { text: '', out: (s: string) => { o.text += s; }, err: () => undefined, setExitCode: () => undefined };
    return o;
  };

  test('without a terminal it asks nothing and says so (null)', async () => {
    const o = io();
    expect(await askYesNo('确认重新生成？(y/N) ', o, Object.assign(new PassThrough(), { isTTY: false }))).toBeNull();
    expect(o.text).toBe('');
  });

  test('on a terminal it asks; y, yes, 是 and 确认 say yes, anything else or nothing says no', async () => {
    for (const a of ['y', 'Y', 'yes', '是', ' 确认 ']) {
      const o = io();
      expect(await askYesNo('确认重新生成？(y/N) ', o, terminal(a))).toBe(true);
      expect(o.text).toBe('确认重新生成？(y/N) ');
    }
    for (const a of ['', 'n', 'no', '否', 'yy']) expect(await askYesNo('？', io(), terminal(a))).toBe(false);
    expect(await askYesNo('？', io(), terminal(null))).toBe(false);
  });
});
