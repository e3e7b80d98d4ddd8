import type { Knex } from 'knex';
import { addDays, IsoDate } from '../../platform/calendar/domain/dates';
import { similarByContent } from '../domain/content-similarity';
import { CaseRow, CaseStore, Db, newestFirst } from '../case-store';
import { toRecord, CaseRecord } from '../case-records';

/** Why an earlier case is taken as the same petitioner's (case_links.reason). */
export type RepeatReason = 'id_number' | 'name_phone' | 'content';

/** How far back an anonymous petition's content is compared, and with how many cases at most. */
export const CONTENT_LOOKBACK_DAYS = 365;
export const CONTENT_CANDIDATES_MAX = 500;
/** The content-similar cases shown and linked, at most. */
export const CONTENT_MATCHES_MAX = 5;

/** What a new petition is matched on. */
export interface RepeatProbe {
  name: string;
  idNumber: string | null;
  phone: string | null;
  /** 匿名/身份不明: matched by content as well (there is no ID number to match). */
  anonymous: boolean;
  content: string;
  town: string;
  category: string;
  receivedDate: IsoDate;
  /** Only cases registered before this one (at registration, the new case's id). */
  beforeId?: number;
}

/**
 * Earlier cases of the same petitioner (条例 art. 36, 重复信访): the same ID number, or the same
 * name and phone; for an anonymous or unidentified petition also those of the same town or
 * category in the last year whose content is similar (content-similarity.ts). Newest first for
 * the first two, then by similarity.
 */
export async function findEarlierCases(store: CaseStore, trx: Db, p: RepeatProbe): Promise<Array<{ row: CaseRow; reason: RepeatReason }>> {
  const found: Array<{ row: CaseRow; reason: RepeatReason }> = await store.findSamePetitioner(trx, p);
  if (!p.anonymous) return found;
  const seen = new Set(found.map((f) => f.row.id));
  const candidates = (await store.contentCandidates(trx, {
    town: p.town, category: p.category, since: addDays(p.receivedDate, -CONTENT_LOOKBACK_DAYS), beforeId: p.beforeId, limit: CONTENT_CANDIDATES_MAX,
  })).filter((r) => !seen.has(r.id));
  for (const m of similarByContent(p.content, candidates, { limit: CONTENT_MATCHES_MAX })) found.push({ row: m.item, reason: 'content' });
  return found;
}

/** The earlier cases a petition would be linked to, as the summary before 确认 shows them. */
export class RepeatCaseQueries {
  private readonly store: CaseStore;

  constructor(private readonly db: Knex | Knex.Transaction) {
    this.store = new CaseStore(db as Knex);
  }

  async earlierCases(p: RepeatProbe): Promise<Array<{ record: CaseRecord; reason: RepeatReason }>> {
    const found = await findEarlierCases(this.store, this.db, p);
    const byId = (reason: RepeatReason) => found.filter((f) => f.reason === reason);
    const identity = found.filter((f) => f.reason !== 'content').sort((a, b) => newestFirst(a.row, b.row));
    return [...identity, ...byId('content')].map((f) => ({ record: toRecord(f.row), reason: f.reason }));
  }
}
