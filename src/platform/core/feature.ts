import type { Express } from 'express';
import type { Command } from 'commander';
import type { Knex } from 'knex';
import type { Router } from '../chat/router';
import type { Config } from '../settings/config';
import type { Logger } from '../logging/logger';
import type { CalendarService } from '../calendar/calendar-service';
import type { UserStore } from '../directory/user-store';
import type { ChatStore } from '../directory/chat-store';
import type { ReferenceData } from '../settings/reference-data';
import type { HolidayCalendar, IsoDate, PeriodEnd } from '../calendar/domain';

/** What every part of the app may use: built once by the composition root. */
export interface Core {
  config: Config;
  db: Knex;
  logger: Logger;
  calendar: CalendarService;
  users: UserStore;
  chats: ChatStore;
  /** config/reference.json (towns, units, categories, venues…), read once on first use. */
  reference: () => ReferenceData;
  /** The clock; tests and `jobs run --now` replace it. */
  now: () => Date;
}

/** A scheduled job (see src/jobs). */
export interface JobDefinition {
  name: string;
  /** When it runs: a cron expression (node-cron syntax), Asia/Shanghai wall clock. */
  cron: string;
  description: string;
  /**
   * Runs as of `now`. `ctx.late` is set when what the run sends goes out after its moment (a
   * `jobs run --now <past> --force`, or a catch-up after downtime): every message it sends must
   * then say so (see platform/jobs/late-send.ts, markLate).
   */
  run: (now: Date, ctx?: JobRunContext) => Promise<string>;
}

/** How a job is run, beyond its `now`. */
export interface JobRunContext {
  late?: LateSend;
}

/** A run whose messages go out after their moment: they carry a 补发 mark. */
export interface LateSend {
  /** When the messages were due: the run's --now, or the missed slot. */
  dueAt: Date;
  /** When they actually go out (the real clock). */
  sentAt: Date;
  /**
   * 'due': the content is as of dueAt (a forced past --now: remaining days and the like are as
   * they were then); 'sent': as of sentAt (a catch-up runs as of the real clock).
   */
  contentAsOf: 'due' | 'sent';
}

/**
 * A capability plugs into the app through these hooks, so the composition root, the CLI and
 * the HTTP app list features instead of knowing each one's insides.
 */
export interface Feature {
  name: string;
  /** What a person calls it, in messages about it (e.g. 信访件, 接访安排); the name when absent. */
  label?: string;
  /** Chat commands, card actions and middlewares. */
  registerBot?(router: Router): void;
  /** Routes on the express app. */
  registerHttp?(app: Express): void;
  /** Scheduled jobs. */
  jobs?(): JobDefinition[];
  /**
   * The legal calendar changed (a holiday import): bring this capability's stored dates in line
   * with `change.after`, inside the import's transaction `trx` (all features or none), and say
   * what changed. A dry run does the same work; the importer rolls the transaction back after.
   */
  onCalendarChange?(change: CalendarChange, trx: Knex.Transaction): Promise<CalendarChangeReport | null>;
  /** `xinfang doctor` / 系统检查: what would make this capability silently wrong, each with its fix. */
  diagnose?(now: Date): Promise<Finding[]>;
  /** Long-running work (workers, connections); started by `npm start`, not by the CLI. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/**
 * Builds a feature. The router is passed for features that feed it from outside the console
 * (the Lark channels); the others ignore it.
 */
export type FeatureFactory = (core: Core, router?: Router) => Feature;

/** CLI subcommands of a feature, given a way to open the core lazily. */
export type CliRegistrar = (program: Command, openCore: () => Promise<Core>, io: CliIO) => void;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Sets the exit code without ending the process (tests run the CLI in-process). */
  setExitCode: (code: number) => void;
}

/** A change of the legal calendar, as the features see it during a holiday import. */
export interface CalendarChange {
  /** The calendar in force before the import, and the one the import makes. */
  before: HolidayCalendar;
  after: HolidayCalendar;
  /**
   * Every day whose answer differs between before and after: working or not (as estimated
   * outside the known years), or known or not. Sorted ascending.
   */
  changedDays: IsoDate[];
  /** The years the import declares complete (their dates stop being provisional). */
  years: number[];
  /** A legal period's last day by the new calendar (the settings' roll-over rule applied). */
  periodEnd: (trigger: IsoDate, days: number) => PeriodEnd;
  now: Date;
  /** `--dry-run`: do the same work and report it; the importer rolls the transaction back. */
  dryRun: boolean;
}

/** One feature's part of the import's report. */
export interface CalendarChangeReport {
  /** The section's heading a person reads, e.g. 办理期限, 接访安排. */
  title: string;
  /** Figures by name (also printed as JSON), e.g. { checked: 120, moved: 3, madeFinal: 40 }. */
  counts: Record<string, number>;
  /** Chinese lines: the figures in words, then what moved (old → new, why). */
  lines: string[];
}

/** A finding of `xinfang doctor`: what is wrong, in Chinese, and how to fix it. */
export interface Finding {
  /** Short area name a person reads: 节假日, 期限提醒, 群聊, 接访领导, 飞书, 日历订阅. */
  area: string;
  /** 'error': the bot is or will be silently wrong; 'warning': worth doing. Both make doctor exit 1. */
  severity: 'error' | 'warning';
  problem: string;
  /** How to fix it, for `xinfang doctor` (may name CLI commands). */
  fix: string;
  /** The same for 系统检查 in chat, in plain words, no command line; absent: `fix` reads well in chat. */
  chatFix?: string;
}
