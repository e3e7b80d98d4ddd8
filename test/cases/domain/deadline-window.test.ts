import fc from 'fast-check';
import { addDays, changedDays, HolidayCalendar, legalPeriodEnd } from '../../../src/platform/calendar/domain';
import { CaseDates, computeDeadlines, PeriodFn } from '../../../src/cases/domain/case-deadlines';
import { DateRange, deadlineWindows, firstWorkingOnOrAfter, mergeRanges, subtractRanges } from '../../../src/cases/domain/deadline-window';
import { recomputeOpenDeadlines, StoredOpenDeadline } from '../../../src/cases/domain/deadline-recompute';

const weekdaysOnly = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
const inRanges = (d: string, rs: DateRange[]) => rs.some((r) => r.from <= d && d <= r.to);

describe('the due dates a change of the calendar can touch', () => {
  test('a working day that changes touches only deadlines due that very day', () => {
    // 2026-06-01 is a Monday.
    expect(deadlineWindows(['2026-06-01'], weekdaysOnly).any).toEqual([{ from: '2026-06-01', to: '2026-06-01' }]);
  });

  test('a Saturday that changes touches deadlines due that Saturday to the Monday they rolled over to', () => {
    expect(deadlineWindows(['2026-05-30'], weekdaysOnly).any).toEqual([{ from: '2026-05-30', to: '2026-06-01' }]);
  });

  test('an extended conclusion period is touched up to the first working day 30 days after, and not twice', () => {
    const w = deadlineWindows(['2026-06-01'], weekdaysOnly);
    // 06-01 + 30 = 07-01 (Wed).
    expect(w.extended).toEqual([{ from: '2026-06-02', to: '2026-07-01' }]);
    // From a Friday: W = Fri; +30 = Sunday 07-05 → Monday 07-06.
    expect(deadlineWindows(['2026-06-05'], weekdaysOnly).extended).toEqual([{ from: '2026-06-06', to: '2026-07-06' }]);
  });

  test('a whole year imported is one range; days close together merge', () => {
    const year: string[] = [];
    for (let d = '2027-01-01'; d <= '2027-12-31'; d = addDays(d, 1)) year.push(d);
    const w = deadlineWindows(year, weekdaysOnly);
    // 2027-12-31 is a Friday.
    expect(w.any).toEqual([{ from: '2027-01-01', to: '2027-12-31' }]);
    expect(w.extended).toEqual([{ from: '2028-01-01', to: '2028-01-31' }]);
    expect(mergeRanges([{ from: '2026-01-05', to: '2026-01-06' }, { from: '2026-01-01', to: '2026-01-02' }, { from: '2026-01-03', to: '2026-01-03' }])).toEqual([
      { from: '2026-01-01', to: '2026-01-03' }, { from: '2026-01-05', to: '2026-01-06' },
    ]);
  });

  test('ranges subtract', () => {
    const a = [{ from: '2026-01-01', to: '2026-01-31' }];
    expect(subtractRanges(a, [{ from: '2026-01-05', to: '2026-01-06' }, { from: '2026-01-31', to: '2026-02-03' }])).toEqual([
      { from: '2026-01-01', to: '2026-01-04' }, { from: '2026-01-07', to: '2026-01-30' },
    ]);
    expect(subtractRanges(a, [{ from: '2025-12-01', to: '2026-02-01' }])).toEqual([]);
    expect(subtractRanges(a, [])).toEqual(a);
  });

  test('an extension whose nominal end is a rest day: the window reaches the working day it rolled to', () => {
    // The 60 days end on Thu 2030-05-02; + 30 = Sat 06-01, rolled to Mon 06-03. 05-02 becomes a holiday
    // (05-03 already is): the 60 days end on Mon 05-06, + 30 = Wed 06-05.
    const before = new HolidayCalendar({ years: [2030], holidays: ['2030-05-03'], workdays: [] });
    const after = new HolidayCalendar({ years: [2030], holidays: ['2030-05-03'], workdays: [] }, [{ date: '2030-05-02', kind: 'holiday' }]);
    const periodOf = (cal: HolidayCalendar): PeriodFn => (t, n) => {
      const r = legalPeriodEnd(t, n, cal, { rollOverWeekends: true });
      return { lastDay: r.lastDay, provisional: r.provisional };
    };
    const dates: CaseDates = {
      status: 'handling', receivedDate: '2030-03-03', decidedDate: '2030-03-03', assignedDate: null, unit: null, acceptedDate: '2030-03-03',
      extensionDays: 30, repliedDate: null, reviewRequestedDate: null, reviewRepliedDate: null, recheckRequestedDate: null, recheckRepliedDate: null,
    };
    const [stored] = computeDeadlines(dates, periodOf(before)).filter((d) => d.status === 'open');
    expect(stored.dueDate).toBe('2030-06-03');
    const [moved] = recomputeOpenDeadlines([{ id: 1, caseId: 1, caseNo: '1', kind: stored.kind, dueDate: stored.dueDate, provisional: false, dates }], periodOf(after));
    expect(moved).toMatchObject({ from: '2030-06-03', to: '2030-06-05' });
    const w = deadlineWindows(changedDays(before, after, [2030]), (d) => before.isWorkingDayOrEstimate(d));
    expect(w.extended).toEqual([{ from: '2030-05-03', to: '2030-06-03' }]);
  });

  test('a run of rest days longer than any real one stops the walk', () => {
    expect(firstWorkingOnOrAfter('2026-01-01', () => false)).toBe('2026-03-02');
  });

  /**
   * The claim of deadline-window.ts, checked against the rule itself: over random calendars, random
   * changes (days turned off or on, a year becoming known) and random cases, every open deadline whose
   * date or flag the new calendar changes is due inside the windows.
   */
  test('every deadline that a random change moves is inside the windows (property)', () => {
    const day = fc.integer({ min: 0, max: 729 }).map((n) => addDays('2030-01-01', n));
    fc.assert(
      fc.property(
        fc.uniqueArray(day, { maxLength: 60 }),
        fc.uniqueArray(day, { maxLength: 8 }),
        fc.uniqueArray(day, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.record({ start: day, ext: fc.option(fc.oneof(fc.constant(30), fc.integer({ min: 1, max: 30 })), { nil: null }), kind: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 25 }),
        (holidays, workdays, flips, rollOverWeekends, yearBecomesKnown, cases) => {
          const before = new HolidayCalendar({ years: [2030], holidays, workdays });
          const flipped = flips.map((d) => ({ date: d, kind: (before.isWorkingDayOrEstimate(d) ? 'holiday' : 'workday') as 'holiday' | 'workday' }));
          const after = new HolidayCalendar({ years: [2030], holidays, workdays }, flipped, yearBecomesKnown ? [2031] : []);
          const periodOf = (cal: HolidayCalendar): PeriodFn => (t, n) => {
            const r = legalPeriodEnd(t, n, cal, { rollOverWeekends, allowProvisional: true });
            return { lastDay: r.lastDay, provisional: r.provisional };
          };
          const changed = changedDays(before, after, [2030, 2031, 2032]);
          const w = deadlineWindows(changed, (d) => before.isWorkingDayOrEstimate(d));
          const stored: StoredOpenDeadline[] = [];
          cases.forEach((c, i) => {
            const dates: CaseDates = {
              status: (['registered', 'handling', 'concluded'] as const)[c.kind], receivedDate: c.start, decidedDate: c.start, assignedDate: null, unit: null,
              acceptedDate: c.start, extensionDays: c.kind === 1 ? c.ext : null, repliedDate: c.start, reviewRequestedDate: null, reviewRepliedDate: null,
              recheckRequestedDate: null, recheckRepliedDate: null,
            };
            for (const d of computeDeadlines(dates, periodOf(before))) {
              if (d.status === 'open') stored.push({ id: stored.length, caseId: i, caseNo: String(i), kind: d.kind, dueDate: d.dueDate, provisional: d.provisional, dates });
            }
          });
          for (const ch of recomputeOpenDeadlines(stored, periodOf(after))) {
            const extended = ch.kind === 'conclusion' && stored[ch.id].dates.extensionDays !== null;
            if (!(inRanges(ch.from, w.any) || (extended && inRanges(ch.from, w.extended)))) {
              throw new Error(`${ch.kind} ${ch.from} → ${ch.to} moved but lies outside ${JSON.stringify(w)}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
