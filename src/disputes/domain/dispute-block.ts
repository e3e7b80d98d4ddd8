import { disputeFieldNames, DisputeFieldKey } from './dispute-fields';

/**
 * A pasted block of `字段：值` lines, as staff copy a row of the paper ledger:
 *
 *   排查登记
 *   排查类型：定期排查
 *   乡镇：阳城镇
 *   纠纷概要：……
 *   ……（more lines of the same 纠纷概要）
 *
 * Full-width or ASCII colon; spaces, a leading number (“1、”) and brackets around a label are
 * ignored. A multi-line field (纠纷概要, 当事人) runs until the next line that starts with a known
 * label. What is not understood is handed back, never dropped silently.
 */
export interface DisputeBlock {
  entries: Array<{ key: DisputeFieldKey; raw: string }>;
  unknown: string[];
  duplicates: DisputeFieldKey[];
}

export const DISPUTE_START_WORDS = ['排查登记', '纠纷登记'];

const COLON = /[:：]/;

function normalizeLabel(s: string): string {
  return s
    .replace(/[\s\u3000]/g, '')
    .replace(/^(?:\d{1,2}\s*[.、)）]|[（(]\d{1,2}[)）])/, '')
    .replace(/^[【[〔]|[】\]〕]$/g, '');
}

function labelIndex(): Map<string, { key: DisputeFieldKey; multiline: boolean }> {
  const byName = new Map<string, { key: DisputeFieldKey; multiline: boolean }>();
  for (const f of disputeFieldNames()) for (const n of f.names) byName.set(normalizeLabel(n), { key: f.key, multiline: f.multiline });
  return byName;
}

function head(line: string, byName: ReturnType<typeof labelIndex>) {
  const m = COLON.exec(line);
  if (!m || m.index > 16) return null;
  const f = byName.get(normalizeLabel(line.slice(0, m.index)));
  return f ? { ...f, value: line.slice(m.index + 1).trim() } : null;
}

export function parseDisputeBlock(text: string): DisputeBlock {
  const byName = labelIndex();
  const body = text.trim().replace(new RegExp(`^(?:${DISPUTE_START_WORDS.join('|')})(?:[:：]?(?=\\s|$))`), '');
  const values = new Map<DisputeFieldKey, string[]>();
  const order: DisputeFieldKey[] = [];
  const duplicates: DisputeFieldKey[] = [];
  const unknown: string[] = [];
  let current: { key: DisputeFieldKey; multiline: boolean } | null = null;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const h = head(line, byName);
    if (h) {
      if (values.has(h.key)) {
        if (!duplicates.includes(h.key)) duplicates.push(h.key);
        order.splice(order.indexOf(h.key), 1);
      }
      values.set(h.key, [h.value]);
      order.push(h.key);
      current = h;
    } else if (current?.multiline || (current && values.get(current.key)!.join('') === '')) {
      if (line) values.get(current.key)!.push(line);
    } else if (line) {
      unknown.push(line);
    }
  }
  return { entries: order.map((key) => ({ key, raw: values.get(key)!.join('\n').trim() })), unknown, duplicates };
}

/** Whether a text is such a block: its first line is a known `字段：值`. */
export function startsWithDisputeField(text: string): boolean {
  return head(text.trim().split('\n')[0] ?? '', labelIndex()) !== null;
}
