import type { Knex } from 'knex';
import * as m001 from './001_foundation';
import * as m002 from './002_lark';
import * as m003 from './003_intake';
import * as m004 from './004_roster';
import * as m005 from './005_jobs';
import * as m006 from './006_feeds';
import * as m007 from './007_cases';
import * as m008 from './008_stats';
import * as m009 from './009_feed_rate_limits';
import * as m011 from './011_deadline_provisional_index';
import * as m013 from './013_outbox_transport';
import * as m014 from './014_outbox_retry_horizon';
import * as m015 from './015_lark_chat_kinds';
import * as m016 from './016_outbox_unanswered';
import * as m017 from './017_lark_calendar';
import * as m018 from './018_anonymous_petitions';
import * as m019 from './019_roster_session_changes';
import * as m020 from './020_disputes';
import * as m021 from './021_dispute_reminders';
import * as m022 from './022_reviews';
import * as m023 from './023_letters';
import * as m024 from './024_consultations';
import * as m025 from './025_third_parties';
import * as m027 from './027_review_fixes';
import * as m028 from './028_lark_calendar_meetings';
import * as m029 from './029_stats_indexes';
import * as m030 from './030_deadline_met_date';
import * as m031 from './031_ledger_fixes';
import * as m032 from './032_province_scale';
import * as m034 from './034_leases';
import * as m035 from './035_overdue_and_sqlite_breakdowns';

/**
 * Every migration, in order. Add a new file as NNN_name.ts and list it here; never edit one
 * that has shipped.
 */
export const migrations: Record<string, Knex.Migration> = {
  '001_foundation': m001,
  '002_lark': m002,
  '003_intake': m003,
  '004_roster': m004,
  '005_jobs': m005,
  '006_feeds': m006,
  '007_cases': m007,
  '008_stats': m008,
  '009_feed_rate_limits': m009,
  '011_deadline_provisional_index': m011,
  '013_outbox_transport': m013,
  '014_outbox_retry_horizon': m014,
  '015_lark_chat_kinds': m015,
  '016_outbox_unanswered': m016,
  '017_lark_calendar': m017,
  '018_anonymous_petitions': m018,
  '019_roster_session_changes': m019,
  '020_disputes': m020,
  '021_dispute_reminders': m021,
  '022_reviews': m022,
  '023_letters': m023,
  '024_consultations': m024,
  '025_third_parties': m025,
  '027_review_fixes': m027,
  '028_lark_calendar_meetings': m028,
  '029_stats_indexes': m029,
  '030_deadline_met_date': m030,
  '031_ledger_fixes': m031,
  '032_province_scale': m032,
  '034_leases': m034,
  '035_overdue_and_sqlite_breakdowns': m035,
};
