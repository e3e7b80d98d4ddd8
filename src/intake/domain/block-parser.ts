import { petitionFieldNames, PetitionFieldKey } from './petition-fields';

/**
 * Reads a pasted block of `字段：值` lines, as staff copy them from a paper form:
 *
 *   登记
 *   姓名：张某某
 *   身份证：441823199001016012
 *   事项内容：……
 *   ……（more lines of the same 事项内容）
 *
 * Full-width or ASCII colon; spaces inside a label are ignored (“姓 名：”, also with a full-width space), as are a leading
 * number (“1、姓名：”) and brackets (“【姓名】：”). A multi-line field (事项内容) runs until the
 * next line that starts with a KNOWN label, so “时间：” or “对方电话：” inside it stays in it.
 * Single-line fields may share a line (“姓名：张某某  电话：138…”, as a table copies out); what
 * is not understood is handed back, never dropped silently.
 */
export interface BlockFieldSpec {
  key: string;
  names: string[];
  multiline: boolean;
}

export interface BlockResult<K extends string = string> {
  /** In the order they appeared; a field given twice keeps the later value. */
  entries: Array<{ key: K; raw: string }>;
  /** Lines or `标签：值` pieces that belong to no known field. */
  unknown: string[];
  /** Fields given more than once. */
  duplicates: K[];
}

const COLON = /[:：]/;
const NUMBERING = /^(?:\d{1,2}\s*[.、)）]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}\s*、)\s*/;

/** A label as written, reduced to compare: no spaces, numbering, brackets or trailing asterisk. */
export function normalizeLabel(s: string): string {
  return s
    .replace(/[\s\u3000]/g, '')
    .replace(NUMBERING, '')
    .replace(/\*$/, '')
    .replace(/^[【[〔]|[】\]〕]$/g, '');
}

/** Splits a single-line row where another `汉字标签：` starts after a space or a semicolon. */
function splitRow(line: string): string[] {
  const parts: string[] = [];
  const re = /(?:[\s\u3000]+|[；;])(?=[\p{Script=Han}【[]{1,2}[\p{Script=Han}\s\u3000（）()】\]]{0,10}[:：])/gu;
  let last = 0;
  const firstColon = line.search(COLON);
  for (const m of line.matchAll(re)) {
    if (m.index! < firstColon) continue; // a spaced-out label (姓 名：) is one label
    parts.push(line.slice(last, m.index));
    last = m.index! + m[0].length;
  }
  parts.push(line.slice(last));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseFieldBlock<K extends string>(text: string, fields: ReadonlyArray<BlockFieldSpec & { key: K }>): BlockResult<K> {
  const byName = new Map<string, BlockFieldSpec & { key: K }>();
  for (const f of fields) for (const n of f.names) byName.set(normalizeLabel(n), f);

  const labelOf = (piece: string): { field: (BlockFieldSpec & { key: K }) | null; label: string; value: string } | null => {
    const m = COLON.exec(piece);
    if (!m || m.index > 24) return null;
    const label = normalizeLabel(piece.slice(0, m.index));
    if (label === '') return null;
    return { field: byName.get(label) ?? null, label, value: piece.slice(m.index + 1) };
  };

  const values = new Map<K, string[]>();
  const order: K[] = [];
  const duplicates: K[] = [];
  const unknown: string[] = [];
  let current: { key: K; multiline: boolean } | null = null;

  const begin = (key: K, multiline: boolean, first: string) => {
    if (values.has(key)) {
      if (!duplicates.includes(key)) duplicates.push(key);
      order.splice(order.indexOf(key), 1);
    }
    values.set(key, [first]);
    order.push(key);
    current = { key, multiline };
  };

  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const head = labelOf(line.trim());
    if (head?.field) {
      if (head.field.multiline) {
        begin(head.field.key, true, head.value.trim());
        continue;
      }
      for (const piece of splitRow(line.trim())) {
        const p = labelOf(piece);
        if (p?.field && !p.field.multiline) begin(p.field.key, false, p.value.trim());
        else if (p?.field) begin(p.field.key, true, p.value.trim());
        else unknown.push(piece);
      }
      continue;
    }
    const cur = current as { key: K; multiline: boolean } | null;
    if (cur?.multiline) {
      values.get(cur.key)!.push(line);
    } else if (cur && values.get(cur.key)!.join('').trim() === '' && line.trim() !== '') {
      // “姓名：” with the value on the next line
      values.set(cur.key, [line.trim()]);
    } else if (line.trim() !== '') {
      unknown.push(line.trim());
    }
  }

  return {
    entries: order.map((key) => ({ key, raw: values.get(key)!.join('\n').trim() })),
    unknown,
    duplicates,
  };
}

/** The words that start intake; a block may begin with any of them. */
export const INTAKE_WORDS = ['登记', '来访登记', '新建信访'];

/** A pasted petition block, with or without the leading 登记. */
export function parsePetitionBlock(text: string): BlockResult<PetitionFieldKey> {
  // “登记” alone on its line, or followed by a space: not “登记时间：…”, which is a field.
  const t = text.trim().replace(/^(?:来访登记|新建信访|登记)(?:[:：]?(?=\s|$))/, '');
  return parseFieldBlock(t, petitionFieldNames());
}

/** Whether a text looks like `字段：值` lines of the petition form (its first line is one). */
export function startsWithPetitionField(text: string): boolean {
  const first = text.trim().split('\n')[0] ?? '';
  const m = COLON.exec(first);
  if (!m || m.index > 24) return false;
  const label = normalizeLabel(first.slice(0, m.index));
  return petitionFieldNames().some((f) => f.names.some((n) => normalizeLabel(n) === label));
}
