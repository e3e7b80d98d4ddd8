import type { FormDef } from './form-types';

/** What a control word typed while a form is open asks for. */
export type Control =
  | { word: 'confirm' | 'cancel' | 'back' }
  | { word: 'skip'; soft: boolean }
  | { word: 'edit'; field: string; value: string };

const CONFIRM_WORDS = ['确认', '确定', '提交', '确认保存', '确认登记'];
const CANCEL_WORDS = ['取消', '放弃', '取消登记'];
const BACK_WORDS = ['上一步', '上一项', '返回上一步', '返回'];
const SKIP_WORDS = ['跳过', '略过', '下一项'];
/** Said for an optional field, these mean 跳过; for a required one they are an (invalid) answer. */
const NONE_WORDS = ['无', '没有', '不详', '暂无', '/'];

/**
 * A control word, exactly (trailing punctuation aside). 修改 counts when followed by a known field
 * name, by nothing, or by a space (“修改 血型” is told which fields there are); a 事项内容 that
 * begins with “修改后的合同……” stays an answer.
 */
export function parseControl(raw: string, form: FormDef<any>, currentOptional: boolean): Control | null {
  const t = raw.trim();
  const s = t.replace(/[。.!！~～]+$/, '');
  if (CONFIRM_WORDS.includes(s)) return { word: 'confirm' };
  if (CANCEL_WORDS.includes(s)) return { word: 'cancel' };
  if (BACK_WORDS.includes(s)) return { word: 'back' };
  if (SKIP_WORDS.includes(s)) return { word: 'skip', soft: false };
  if (currentOptional && NONE_WORDS.includes(s)) return { word: 'skip', soft: true };
  const m = /^修改(?:[\s\u3000:：]*)([\s\S]*)$/.exec(t); // the new value keeps its punctuation
  if (!m) return null;
  const rest = m[1];
  if (rest.replace(/[。.!！~～\s]+$/, '') === '') return { word: 'edit', field: '', value: '' };
  const names = form.fields
    .flatMap((f) => [f.label, ...(f.aliases ?? [])].map((n) => ({ n, label: f.label })))
    .sort((a, b) => b.n.length - a.n.length);
  const hit = names.find(({ n }) => rest.startsWith(n));
  if (!hit) {
    // “修改 血型”: meant as a command, so it gets the list of fields; “修改后的……” is text.
    return /^修改[\s\u3000:：]/.test(t) ? { word: 'edit', field: rest.split(/[\s\u3000:：]/)[0], value: '' } : null;
  }
  const after = rest.slice(hit.n.length);
  // “修改 电话 138…”, “修改电话：138…”, “修改电话为138…” (but “修改 姓名 为民” keeps the name 为民)
  const value = /^[\s\u3000:：]/.test(after) ? after.replace(/^[\s\u3000:：]+/, '') : after.replace(/^(?:改为|改成|为)/, '');
  return { word: 'edit', field: hit.label, value };
}
