import type { Knex } from 'knex';
import { loadConfig } from '../../src/platform/settings/config';
import { openCore } from '../../src/platform/core/open-core';
import { openDatabase } from '../../src/platform/database/connection';
import { createLogger } from '../../src/platform/logging/logger';
import { createLarkClient } from '../../src/platform/lark/lark-client';
import type { Core } from '../../src/platform/core/feature';
import type { PlanSession } from '../../src/roster/domain';
import { RosterStore } from '../../src/roster/roster-store';
import { CalendarSyncService } from '../../src/lark-calendar/calendar-sync-service';
import type { FakeLarkServer } from '../helpers/fake-lark-server';

/** Monday 2 March 2026, 10:00 in Shanghai. */
export const TODAY = new Date('2026-03-02T02:00:00Z');

export const LIN = 'ou_lin0000000000000000000000000001';
export const ZHOU = 'ou_zhou000000000000000000000000002';
export const HUANG = 'ou_huang00000000000000000000000003';

export interface SyncWorld {
  core: Core;
  roster: RosterStore;
  clock: { now: Date };
  service: (owner?: string) => CalendarSyncService;
  close: () => Promise<void>;
}

/** A Core on the database at `url` (a replica when `db` is not given), Lark at the fake, the sync on. */
export async function openWorld(url: string, fake: FakeLarkServer, db?: Knex): Promise<SyncWorld> {
  const config = loadConfig({
    DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', CONSOLE_ENABLED: 'true',
    LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.url, LARK_CALENDAR_SYNC: 'true',
  });
  const clock = { now: TODAY };
  const own = db ?? (await openDatabase(url));
  const core = await openCore(config, { db: own, logger: createLogger('silent'), now: () => clock.now, migrate: true });
  return {
    core,
    roster: new RosterStore(core.db),
    clock,
    service: (owner) => new CalendarSyncService(core, createLarkClient(config, core.logger).client, { owner, callsPerSecond: 0 }),
    close: async () => {
      if (!db) await own.destroy();
    },
  };
}

export async function seedLeaders(w: SyncWorld): Promise<void> {
  await w.roster.leaders.upsertVenue({ id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null, address: '县城人民路 88 号' });
  await w.roster.leaders.upsertVenue({ id: 'zz-yc', name: '阳城镇综治中心', kind: 'town', town: '阳城镇', address: '阳城镇政府大院' });
  const leaders = [
    { id: LIN, name: '林启航', title: '县委书记', sortOrder: 1 },
    { id: ZHOU, name: '周庭远', title: '县长', sortOrder: 2 },
    { id: HUANG, name: '黄思源', title: '常务副县长', sortOrder: 3 },
  ];
  for (const l of leaders) {
    await w.core.users.upsert({ id: l.id, name: l.name, role: 'leader', unit: null, town: null, title: l.title });
    await w.roster.leaders.upsertLeader({ ...l, level: 'county', towns: [], deputyId: null, active: true });
  }
}

export function session(date: string, leaderIds: string[], o: Partial<PlanSession> = {}): PlanSession {
  return {
    date, slot: '上午', startTime: '09:00', endTime: '12:00', type: '接访', venueId: 'county-center', leaderIds,
    accompanyUnits: ['县自然资源局', '县住建局'], focus: '王某某反映宅基地问题', capacity: null, ruleId: null, substituteFor: null, note: '内部备注',
    ...o,
  };
}

export async function addSessions(w: SyncWorld, list: PlanSession[]): Promise<number[]> {
  return w.core.db.transaction((trx) => w.roster.sessions.insertSessions(trx, list, w.clock.now));
}
