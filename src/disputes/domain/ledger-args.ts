import type { DisputeStatus } from './dispute-rules';
import { looksLikeDisputeNo, parseDisputeNo } from './dispute-rules';

/** What `排查台账 …` asks for: one dispute by number, or the ledger narrowed by town, unit, status, page. */
export interface LedgerArgs {
  no?: string;
  town?: string;
  unit?: string;
  status?: DisputeStatus;
  /** The status as typed, to repeat it in the next page's hint. */
  statusWord?: string;
  page: number;
  error?: string;
}

const STATUS_WORDS: Record<string, DisputeStatus> = {
  在办: 'open', 未销号: 'open', 正在调处: 'open',
  已化解: 'resolved', 已销号: 'resolved', 化解: 'resolved',
  已转信访: 'escalated', 转入信访事项: 'escalated', 转信访: 'escalated', 未化解: 'escalated',
};

/** Reads the words after 排查台账 against the bureau's towns and units. */
export function parseLedgerArgs(args: string, lists: { towns: readonly string[]; units: readonly string[] }): LedgerArgs {
  const out: LedgerArgs = { page: 1 };
  for (const w of args.split(/[\s,，、]+/).filter(Boolean)) {
    const page = /^第?(\d{1,3})页$/.exec(w);
    if (looksLikeDisputeNo(w)) out.no = parseDisputeNo(w) ?? w;
    else if (page) out.page = Number(page[1]);
    else if (STATUS_WORDS[w]) {
      out.status = STATUS_WORDS[w];
      out.statusWord = w;
    } else if (lists.towns.includes(w) || lists.towns.filter((t) => t.startsWith(w)).length === 1) {
      out.town = lists.towns.includes(w) ? w : lists.towns.find((t) => t.startsWith(w));
    } else if (lists.units.includes(w) || lists.units.filter((u) => u.includes(w)).length === 1) {
      out.unit = lists.units.includes(w) ? w : lists.units.find((u) => u.includes(w));
    } else {
      return { page: 1, error: `“${w}”看不明白。可以写：乡镇名、在办、已化解、已转信访、责任单位、编号（如 排2026-0001）或 第2页` };
    }
  }
  return out;
}
