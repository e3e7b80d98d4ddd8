import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { CalendarChange, Core, Feature } from '../../../src/platform/core/feature';
import { openCore } from '../../../src/platform/core/open-core';
import { createLogger } from '../../../src/platform/logging/logger';
import { enqueueMessage } from '../../../src/platform/outbox/outbox-store';
import { loadConfig } from '../../../src/platform/settings/config';

/** "Today" of these tests: 2 December 2026, 10:00 in Shanghai. */
export const NOW = new Date('2026-12-02T02:00:00Z');

export async function calendarCore(db: Knex, url: string, now = NOW): Promise<Core> {
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONFIG_DIR: 'config' });
  return openCore(config, { db, logger: createLogger('silent'), migrate: true, now: () => now });
}

/** The fake feature's one stored deadline: 15 days from 20 December 2026 (the counters table stands in for its own). */
const KEY = 'fake:deadline';
const asNumber = (d: string) => Number(d.replace(/-/g, ''));
const asDate = (n: number) => `${String(n).slice(0, 4)}-${String(n).slice(4, 6)}-${String(n).slice(6, 8)}`;

export async function storedDeadline(db: Knex): Promise<string | null> {
  const row = await db('counters').where({ name: KEY }).first('value');
  return row ? asDate(Number(row.value)) : null;
}

export async function setStoredDeadline(db: Knex, date: string): Promise<void> {
  await db('counters').insert({ name: KEY, value: asNumber(date) }).onConflict('name').merge();
}

/**
 * A capability as the import sees one: it keeps one deadline, moves it to the new calendar's last
 * day in the import's transaction, and tells its unit through the outbox.
 */
export function fakeDeadlineFeature(seen: CalendarChange[] = []): Feature {
  return {
    name: 'fake-deadlines',
    async onCalendarChange(change, trx) {
      seen.push(change);
      const row = await trx('counters').where({ name: KEY }).first('value');
      const old = row ? asDate(Number(row.value)) : null;
      const next = change.periodEnd('2026-12-20', 15);
      const moved = old !== null && old !== next.lastDay ? 1 : 0;
      if (moved) {
        await trx('counters').where({ name: KEY }).update({ value: asNumber(next.lastDay) });
        await enqueueMessage(trx, { receiveId: 'oc_unit', receiveIdType: 'chat_id', msgType: 'text', content: { text: `期限改为 ${next.lastDay}` }, source: 'fake' }, change.now);
      }
      return {
        title: '办理期限',
        counts: { checked: old ? 1 : 0, moved, madeFinal: old && !next.provisional ? 1 : 0 },
        lines: [`检查 ${old ? 1 : 0} 个期限，改动 ${moved} 个`, ...(moved ? [`2026-000001 办理期限 ${old} → ${next.lastDay}（法定休假日顺延）`] : [])],
      };
    },
  };
}

/** A feature whose hook fails. */
export const failingFeature: Feature = {
  name: 'broken',
  label: '接访安排',
  async onCalendarChange() {
    throw new Error('update `sessions` set `date` = ? where `id` = ? - internal failure');
  },
};

/** A holiday file in a temp folder, written as given (a string is written as is, e.g. with a BOM). */
export function holidayFile(content: unknown, name = 'holidays-2027.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hol-import-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** 2027 as a notice might give it, with 4 January made a holiday (a made-up day, so a deadline moves). */
export const FILE_2027 = {
  years: [2027],
  holidays: [
    { date: '2027-01-01', name: '元旦' }, { date: '2027-01-04', name: '元旦' },
    { from: '2027-02-06', to: '2027-02-12', name: '春节' },
  ],
  workdays: ['2027-02-14'],
};
