import { fail, ok } from '../../../src/intake/domain/petition-validation';
import { FormEngine } from '../../../src/platform/forms/form-engine';
import { FormDef, newFormState, Turn } from '../../../src/platform/forms/form-types';
import { parseControl } from '../../../src/platform/forms/form-controls';

/** A small form, to show the engine knows nothing of petitions. */
interface Ctx { colours: string[]; shades: Record<string, string[]> }
const form: FormDef<Ctx> = {
  name: 'toy',
  title: '玩具表单',
  roles: ['staff'],
  fields: [
    { key: 'name', label: '名称', aliases: ['名字'], freeText: true, prompt: () => '请输入名称', parse: (r) => (r.trim() ? ok(r.trim()) : fail('名称不能为空')) },
    {
      key: 'colour', label: '颜色', choices: (c) => c.colours, prompt: () => '选颜色',
      parse: (r, c) => (c.colours.includes(r) ? ok(r) : fail(`没有“${r}”这种颜色`)),
    },
    {
      key: 'shade', label: '色调', optional: true, dependsOn: ['colour'], when: (v) => v.colour !== '黑',
      choices: (c) => c.shades.current ?? [], noChoicesNote: '这个颜色没有色调可选。', prompt: () => '选色调',
      parse: (r, c) => ((c.shades.current ?? []).includes(r) ? ok(r) : fail('没有这个色调')),
    },
    { key: 'note', label: '备注', optional: true, quietInBlock: true, freeText: true, prompt: () => '备注？', parse: (r) => ok(r), onSkip: () => ({ value: '无', display: '（无）' }) },
    { key: 'phone', label: '电话', optional: true, personal: 'phone', prompt: () => '电话？', parse: (r) => (/^1\d{10}$/.test(r) ? ok(r) : fail('电话不对')) },
  ],
  async context(_t, v) {
    return { colours: ['红', '蓝', '黑'], shades: { current: v.colour === '红' ? ['深红', '浅红'] : [] } };
  },
  crossCheck: (v) => (v.name === '禁止' ? { field: 'name', reason: '这个名称不能用' } : null),
  async submit() {
    return [];
  },
};

const turn: Turn = { user: { id: 'u', name: 'u', role: 'staff', unit: null, town: null, title: null }, chatId: 'c', chatType: 'p2p', now: new Date('2026-03-10T06:00:00Z') };
const engine = (reveal = true) => {
  const e = new FormEngine(form, newFormState('toy', turn.now), turn, reveal);
  return e;
};

test('asks one field at a time; a wrong answer keeps the values and gives the reason', async () => {
  const e = engine();
  await e.advance();
  expect(e.state.current).toBe('name');
  await e.answer('小红');
  expect(e.state.current).toBe('colour');
  const rev = e.state.rev;
  await e.answer('绿');
  expect(e.notes.pop()).toContain('没有“绿”这种颜色');
  expect(e.state).toMatchObject({ current: 'colour', retries: 1, rev });
  expect(Object.keys(e.state.values)).toEqual(['name']);
  await e.answer('红');
  expect(e.state.current).toBe('shade');
  await e.answer('深红');
  await e.skip();
  await e.answer('13812345678');
  expect(e.state.step).toBe('confirm');
  expect(e.values()).toEqual({ name: '小红', colour: '红', shade: '深红', note: '无', phone: '13812345678' });
  // The state is plain JSON: it survives a round trip unchanged.
  expect(JSON.parse(JSON.stringify(e.state))).toEqual(e.state);
});

test('上一步 walks back through the answered fields and keeps their answers until replaced', async () => {
  const e = engine();
  await e.advance();
  await e.answer('甲');
  await e.answer('蓝'); // no shades for blue: passed over with its note
  expect(e.notes.join()).toContain('没有色调可选');
  expect(e.state.current).toBe('note');
  await e.back();
  expect(e.state.current).toBe('shade');
  await e.back();
  expect(e.state.current).toBe('colour');
  await e.back();
  expect(e.state.current).toBe('name');
  await e.back();
  expect(e.notes.pop()).toBe('已经是第一项了。');
  await e.answer('乙');
  // Colour was answered already, shade skipped: straight on to the note.
  expect(e.state.current).toBe('note');
  expect(e.values()).toMatchObject({ name: '乙', colour: '蓝' });
});

test('修改 changes a field; a changed colour clears its shade, which is asked again', async () => {
  const e = engine();
  await e.advance();
  for (const a of ['甲', '红', '浅红']) await e.answer(a);
  await e.skip();
  await e.skip();
  expect(e.state.step).toBe('confirm');
  await e.edit('颜色', '蓝');
  expect(e.values().shade).toBeUndefined();
  expect(e.state.step).toBe('confirm'); // blue has no shades
  await e.edit('颜色', '红');
  expect(e.state.current).toBe('shade');
  await e.edit('名字', '');
  expect(e.state.current).toBe('name');
  await e.edit('尺寸', '');
  expect(e.notes.pop()).toContain('没有名为“尺寸”的项目');
  await e.edit('色调', '不存在的色调');
  expect(e.notes.pop()).toContain('没有这个色调');
  expect(e.state.current).toBe('shade');
});

test('跳过 refuses a required field; a block fills many and passes over quiet optional fields', async () => {
  const e = engine();
  await e.advance();
  await e.skip();
  expect(e.notes.pop()).toContain('必填项');
  await e.fillMany([{ key: 'colour', raw: '红' }, { key: 'name', raw: '丙' }, { key: 'phone', raw: '12' }], ['怪行'], []);
  expect(e.notes.join('\n')).toMatch(/已填写：名称、颜色[\s\S]*电话：电话不对[\s\S]*怪行/);
  expect(e.state.current).toBe('shade'); // optional but not quiet: still asked
  await e.skip();
  expect(e.state.current).toBe('phone'); // the note was passed over quietly; the bad phone is asked again
  expect(e.values().note).toBe('无');
});

test('cross-field checks send the person back to the field with the reason', async () => {
  const e = engine();
  await e.advance();
  await e.fillMany([{ key: 'name', raw: '禁止' }, { key: 'colour', raw: '黑' }, { key: 'phone', raw: '13812345678' }]);
  expect(e.state).toMatchObject({ step: 'ask', current: 'name' });
  expect(e.notes.pop()).toContain('这个名称不能用');
  await e.answer('可以');
  expect(e.state.step).toBe('confirm');
});

test('personal data is masked in what the engine says unless it may be revealed', async () => {
  const masked = engine(false);
  await masked.advance();
  await masked.fillMany([{ key: 'name', raw: '丁' }, { key: 'colour', raw: '黑' }, { key: 'phone', raw: '13812345678' }]);
  // Card markdown escapes the asterisks (138\*\*\*\*5678), which Lark shows as 138****5678.
  const shown = JSON.stringify(await masked.render()).replace(/\\\\/g, '');
  expect(shown).toContain('138****5678');
  expect(shown).not.toContain('13812345678');
  const whole = engine(true);
  await whole.advance();
  await whole.fillMany([{ key: 'name', raw: '丁' }, { key: 'colour', raw: '黑' }, { key: 'phone', raw: '13812345678' }]);
  expect(JSON.stringify(await whole.render())).toContain('13812345678');
});

test('control words are exact; 修改 only with a known field, so free text that starts with it stays an answer', () => {
  expect(parseControl('确认。', form, false)).toEqual({ word: 'confirm' });
  expect(parseControl(' 上一步 ', form, false)).toEqual({ word: 'back' });
  expect(parseControl('无', form, true)).toEqual({ word: 'skip', soft: true });
  expect(parseControl('无', form, false)).toBeNull();
  expect(parseControl('修改', form, false)).toEqual({ word: 'edit', field: '', value: '' });
  expect(parseControl('修改电话为13812345678', form, false)).toEqual({ word: 'edit', field: '电话', value: '13812345678' });
  expect(parseControl('修改 名称 为民', form, false)).toEqual({ word: 'edit', field: '名称', value: '为民' });
  expect(parseControl('修改后的合同没有通知我们', form, false)).toBeNull();
  expect(parseControl('取消了我家的低保', form, false)).toBeNull();
});

test('修改 keeps the new value as typed, punctuation and lines included', () => {
  expect(parseControl('修改 名称 要求恢复通行。\n第二行！', form, false)).toEqual({ word: 'edit', field: '名称', value: '要求恢复通行。\n第二行！' });
  expect(parseControl('修改。', form, false)).toEqual({ word: 'edit', field: '', value: '' });
});
