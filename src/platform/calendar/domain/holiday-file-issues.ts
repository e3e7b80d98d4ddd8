/**
 * The holiday file's mistakes in Chinese, with where they are ("holidays（放假日）第 3 项的 date：…"),
 * from the zod issues of its check: a person editing the file never reads zod's English.
 */

/** The part of a zod issue read here (zod 4's $ZodIssue, structurally). */
export interface FileIssue {
  code: string;
  path: PropertyKey[];
  expected?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  keys?: string[];
  errors?: FileIssue[][];
}

export const HOLIDAY_FILE_KEYS = ['years', 'holidays', 'workdays'];
const NOTE_KEYS = new Set(['说明', '备注', '来源', '注释', 'source', 'note', 'notes', 'comment', 'description']);

/** A top-level key that holds a note for people, not data: `_…`, `$schema`, 说明, 备注, 来源, source, note. */
export function isNoteKey(key: string): boolean {
  return key.startsWith('_') || key.startsWith('$') || NOTE_KEYS.has(key);
}

const FIELD: Record<string, string> = {
  years: 'years（全年安排的年份）',
  holidays: 'holidays（放假日）',
  workdays: 'workdays（调休上班日）',
};

const EXAMPLE: Record<string, string> = {
  years: '，如 [2027]',
  holidays: '，如 ["2027-01-01", {"date": "2027-02-06", "name": "春节"}]',
  workdays: '，如 ["2027-02-14"]',
};

const DAY_SHAPE = '日期（如 "2027-01-01"）、{"date": "2027-01-01", "name": "元旦"} 或 {"from": "2027-02-06", "to": "2027-02-12", "name": "春节"}';

function place(path: PropertyKey[]): string {
  if (!path.length) return '文件';
  let s = FIELD[String(path[0])] ?? String(path[0]);
  for (const p of path.slice(1)) s += typeof p === 'number' ? ` 第 ${p + 1} 项` : `的 ${String(p)}`;
  return s;
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v: any = root;
  for (const p of path) v = v == null ? undefined : v[p as any];
  return v;
}

function kindOf(v: unknown): string {
  if (v === null) return '空值 null';
  if (Array.isArray(v)) return '列表 […]';
  switch (typeof v) {
    case 'string': return `文字 "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`;
    case 'number': return `数字 ${v}`;
    case 'boolean': return String(v);
    case 'object': return '对象 {…}';
    default: return typeof v;
  }
}

const NOUN: Record<string, string> = {
  string: '文字（用英文双引号括起）',
  number: '数字',
  int: '整数',
  array: '列表 […]',
  object: '对象 {…}',
};

function wrongType(issue: FileIssue, value: unknown): string {
  const path = issue.path;
  if (value === undefined) return `${place(path)}：缺少此项`;
  if (!path.length) return `整个文件应为一个对象：{"years": […], "holidays": […], "workdays": […]}，实际是${kindOf(value)}`;
  if (path[0] === 'years' && path.length === 2) {
    if (typeof value === 'string' && /^\s*\d{4}\s*$/.test(value)) return `${place(path)}：年份应写数字 ${value.trim()}，不加引号`;
    return `${place(path)}：应为四位数字的年份，如 2027，实际是${kindOf(value)}`;
  }
  const example = path.length === 1 ? (EXAMPLE[String(path[0])] ?? '') : '';
  return `${place(path)}：应为${NOUN[issue.expected ?? ''] ?? issue.expected}${example}，实际是${kindOf(value)}`;
}

function outOfRange(issue: FileIssue, value: unknown): string {
  if (issue.origin === 'string') return `${place(issue.path)}：不能超过 ${issue.maximum} 个字`;
  if (issue.path[0] === 'years') return `${place(issue.path)}：年份应在 2000 到 2100 之间，实际是 ${String(value)}`;
  return `${place(issue.path)}：超出允许的范围`;
}

function unknownKeys(issue: FileIssue): string {
  const keys = (issue.keys ?? []).map((k) => `“${k}”`).join('、');
  if (!issue.path.length) {
    return `不认识的字段 ${keys}（可用的字段：years、holidays、workdays；说明文字可写在以 _ 开头的字段里，如 "_说明"）`;
  }
  return `${place(issue.path)}：有不认识的字段 ${keys}（可用：date、name，或 from、to、name）`;
}

/** A day entry that is none of its shapes: say what is wrong with the shape it comes closest to. */
function notADay(issue: FileIssue, root: unknown): string {
  const value = valueAt(root, issue.path);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `${place(issue.path)}：应为${DAY_SHAPE}，实际是${kindOf(value)}`;
  const branch = 'from' in value || 'to' in value ? 2 : 1;
  const inner = issue.errors?.[branch] ?? [];
  if (!inner.length) return `${place(issue.path)}：应为${DAY_SHAPE}`;
  return inner.map((i) => describeHolidayFileIssue({ ...i, path: [...issue.path, ...i.path] }, root)).join('；');
}

/** One zod issue of the holiday file's check, in Chinese, with its place in the file. */
export function describeHolidayFileIssue(issue: FileIssue, root: unknown): string {
  const value = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return wrongType(issue, value);
    case 'too_small':
    case 'too_big':
      return outOfRange(issue, value);
    case 'unrecognized_keys':
      return unknownKeys(issue);
    case 'invalid_union':
      return notADay(issue, root);
    default:
      return `${place(issue.path)}：格式不对`;
  }
}
