import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app';
import { decodeHolidayFile, parseHolidayFileText, shanghaiInstant } from '../../src/platform/calendar/domain';
import type { Core, Feature } from '../../src/platform/core/feature';
import { importHolidays, HolidayImportResult } from '../../src/platform/cli/holiday-import';
import { CaseDates, computeDeadlines } from '../../src/cases/domain/case-deadlines';
import type { CaseStatus } from '../../src/cases/domain/case-status';
import { CaseStore } from '../../src/cases/case-store';
import { CaseDeadlineStore } from '../../src/cases/case-deadline-store';

/** A made-up 2027 State Council arrangement: 元旦 1.1–1.3, 春节 2.6–2.13 (调休 2.14, 2.20), … 国庆 10.1–10.7. */
export const HOLIDAYS_2027 = path.join(__dirname, '../fixtures/holiday-arrangement-2027.json');

/** A holiday file's text as the importer reads it. */
export function holidayFile(json: unknown) {
  return parseHolidayFileText(JSON.stringify(json));
}

export function holidayFileAt(p: string) {
  return parseHolidayFileText(decodeHolidayFile(fs.readFileSync(p)));
}

/** The features whose stored dates a holiday import brings in line, by name, in the app's order. */
export function featuresNamed(app: App, names: readonly string[]): Feature[] {
  return names.map((n) => {
    const f = app.features.find((x) => x.name === n);
    if (!f) throw new Error(`no feature ${n}`);
    return f;
  });
}

/** `xinfang holidays import` of a parsed file, as the CLI runs it, with these features. */
export function runImport(core: Core, features: Feature[], file: ReturnType<typeof holidayFile>, dryRun = false): Promise<HolidayImportResult> {
  return importHolidays(core, features, file, { source: 'test', dryRun });
}

export type CaseDatesInput = Partial<CaseDates> & { status: CaseStatus; receivedDate: string };

/**
 * A case stored as the case service leaves it: its row, and its deadlines computed by the calendar
 * in force (so a 2027 date is provisional until 2027 is imported). No ID number, no phone.
 */
export async function addCase(core: Core, caseNo: string, input: CaseDatesInput): Promise<number> {
  const d: CaseDates = {
    decidedDate: null, assignedDate: null, unit: null, acceptedDate: null, extensionDays: null, repliedDate: null,
    reviewRequestedDate: null, reviewRepliedDate: null, recheckRequestedDate: null, recheckRepliedDate: null, ...input,
  };
  const now = core.now();
  const id = await new CaseStore(core.db).insert(core.db, {
    caseNo, year: Number(caseNo.slice(0, 4)), status: d.status, name: '王小明', idNumber: null, phone: null, address: null, headcount: 1,
    isGroup: false, channel: '来访', town: '阳城镇', category: '自然资源', purpose: null, content: '反映宅基地确权纠纷',
    receivedAt: shanghaiInstant(d.receivedDate, '10:00'), receivedDate: d.receivedDate, unit: d.unit, transferTo: null, leaderId: null,
    supervised: false, sessionId: null, acceptedDate: d.acceptedDate, repliedDate: d.repliedDate, extensionDays: d.extensionDays,
    replySummary: null, registeredBy: 'staff-1', decidedDate: d.decidedDate, assignedDate: d.assignedDate, decisionReason: null,
    reviewRequestedDate: d.reviewRequestedDate, reviewRepliedDate: d.reviewRepliedDate, recheckRequestedDate: d.recheckRequestedDate,
    recheckRepliedDate: d.recheckRepliedDate,
  }, now);
  const period = (t: string, n: number) => {
    const r = core.calendar.periodEnd(t, n);
    return { lastDay: r.lastDay, provisional: r.provisional };
  };
  await new CaseDeadlineStore(core.db).save(core.db, id, computeDeadlines(d, period), now);
  return id;
}

/** A case 办理中 at a unit, accepted on `accepted` (its conclusion period runs from then). */
export function handling(accepted: string, extensionDays: number | null = null): CaseDatesInput {
  return {
    status: 'handling', receivedDate: accepted, decidedDate: accepted, assignedDate: accepted, unit: '县自然资源局', acceptedDate: accepted, extensionDays,
  };
}

/** The stored open deadlines by case number: kind, due date, provisional. */
export async function openDeadlines(core: Core): Promise<Record<string, Array<[string, string, boolean]>>> {
  const rows = await core.db('case_deadlines as d').join('cases as c', 'c.id', 'd.case_id').where('d.status', 'open')
    .orderBy(['c.case_no', 'd.kind']).select('c.case_no', 'd.kind', 'd.due_date', 'd.provisional');
  const out: Record<string, Array<[string, string, boolean]>> = {};
  for (const r of rows) (out[r.case_no] ??= []).push([r.kind, r.due_date, Boolean(Number(r.provisional))]);
  return out;
}
