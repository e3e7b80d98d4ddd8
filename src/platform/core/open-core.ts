import type { Knex } from 'knex';
import { Config, configPath } from '../settings/config';
import { openDatabase } from '../database/connection';
import { migrateLatest } from '../database/migrate';
import { ambientDb } from '../database/ambient-transaction';
import type { Core } from './feature';
import { createLogger, Logger } from '../logging/logger';
import { CalendarService } from '../calendar/calendar-service';
import { ChatStore } from '../directory/chat-store';
import { HolidayStore } from '../calendar/holiday-store';
import { UserStore } from '../directory/user-store';
import { loadReferenceData, ReferenceData } from '../settings/reference-data';
import { setOutboxTransport } from '../outbox/outbox-store';
import { transportNameFor } from '../outbox/transport';

export interface OpenCoreOptions {
  logger?: Logger;
  /** An already open database (tests); otherwise DATABASE_URL is opened. */
  db?: Knex;
  /** Apply migrations first (start-up and the CLI do; `xinfang migrate` does it itself). */
  migrate?: boolean;
  now?: () => Date;
}

/** Opens the database, applies migrations, loads the legal calendar, and builds the stores. */
export async function openCore(config: Config, opts: OpenCoreOptions = {}): Promise<Core> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  // Inside an inbound event's turn, every store's queries go to the turn's transaction (ambient-transaction.ts).
  const db = ambientDb(opts.db ?? (await openDatabase(config.DATABASE_URL)));
  if (opts.migrate !== false) await migrateLatest(db);
  // Rows this process queues belong to its transport; no other transport ever sends them.
  setOutboxTransport(db, transportNameFor(config));
  const calendar = new CalendarService(
    new HolidayStore(db),
    configPath(config, 'holidays.json'),
    config.DEADLINE_ROLL_OVER_WEEKENDS,
  );
  await calendar.reload();
  let reference: ReferenceData | undefined;
  return {
    config,
    db,
    logger,
    calendar,
    users: new UserStore(db),
    chats: new ChatStore(db),
    reference: () => (reference ??= loadReferenceData(configPath(config, 'reference.json'))),
    now: opts.now ?? (() => new Date()),
  };
}
