import type { Core } from '../platform/core/feature';
import { runTransaction } from '../platform/database/transaction';
import { UserError } from '../platform/errors/user-error';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import { disputeLists } from './domain/dispute-rules';
import { formatLedgerError, LedgerEntry, LedgerRowError, readLedgerRow } from './domain/ledger-rows';
import { readLedgerWorkbook } from './dispute-excel';
import type { DisputeStore } from './dispute-store';

export class LedgerImportError extends UserError {
  constructor(readonly errors: LedgerRowError[]) {
    const shown = errors.slice(0, 50).map(formatLedgerError);
    if (errors.length > 50) shown.push(`……另有 ${errors.length - 50} 处`);
    super(`导入失败：工作簿有 ${errors.length} 处错误，未导入任何数据。\n${shown.join('\n')}`, 'import_failed');
  }
}

export interface LedgerImportOutcome {
  imported: number;
  open: number;
  resolved: number;
  escalated: number;
  /** The numbers given to rows without one. */
  numbered: number;
  /** Masked ID numbers or phones in 当事人 cells, left out. */
  maskedDropped: number;
  dryRun: boolean;
}

class DryRunRollback extends Error {}

/** Every row checked, then all of them stored in one transaction, or none. */
async function checkRows(store: DisputeStore, core: Core, data: Buffer, today: string): Promise<LedgerEntry[]> {
  const { rows, missing } = await readLedgerWorkbook(data);
  const errors: LedgerRowError[] = missing.map((c) => ({ row: 1, column: c, message: '表头缺少这一列' }));
  if (errors.length) throw new LedgerImportError(errors);
  if (!rows.length) throw new UserError('工作簿中没有数据行，未导入任何数据');
  const lists = { ...disputeLists(core.reference()), today, textMax: core.config.TEXT_MAX_LENGTH };
  const entries: LedgerEntry[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const { entry, errors: e } = readLedgerRow(r, lists);
    errors.push(...e);
    if (!entry) continue;
    if (entry.no && seen.has(entry.no)) errors.push({ row: r.row, column: '排查编号', message: `${entry.no} 与第 ${seen.get(entry.no)} 行重复` });
    if (entry.no) seen.set(entry.no, r.row);
    entries.push(entry);
  }
  const existing = await store.existingNos([...seen.keys()]);
  for (const e of entries) if (e.no && existing.has(e.no)) errors.push({ row: e.row, column: '排查编号', message: `${e.no} 已在台账中` });
  if (errors.length) throw new LedgerImportError(errors.sort((a, b) => a.row - b.row));
  return entries;
}

/** `disputes import FILE.xlsx [--dry-run]`: the office's ledger into the bot, all or nothing. */
export async function importLedger(core: Core, store: DisputeStore, data: Buffer, opts: { dryRun?: boolean; by: string }): Promise<LedgerImportOutcome> {
  const now = core.now();
  const entries = await checkRows(store, core, data, shanghaiDate(now));
  const out: LedgerImportOutcome = { imported: 0, open: 0, resolved: 0, escalated: 0, numbered: 0, maskedDropped: 0, dryRun: Boolean(opts.dryRun) };
  try {
    await runTransaction(core.db, async (trx) => {
      // Given numbers first, so a number handed out below never meets one later in the file.
      for (const e of entries) if (e.no) await store.reserveNo(trx, Number(e.no.slice(1, 5)), Number(e.no.slice(6)));
      for (const e of entries) {
        const no = e.no ?? (await store.nextNo(trx, Number(e.foundDate.slice(0, 4))));
        const { row: _row, maskedDropped, ...fields } = e;
        const id = await store.insert(trx, { ...fields, no, registeredBy: opts.by }, now);
        await store.addEvents(trx, [{ disputeId: id, action: 'import', fromStatus: null, toStatus: e.status, actorId: opts.by, at: now, data: { row: e.row } }]);
        out.imported++;
        out[e.status]++;
        if (!e.no) out.numbered++;
        out.maskedDropped += maskedDropped;
      }
      if (opts.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  return out;
}
