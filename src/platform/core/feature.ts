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
  run: (now: Date) => Promise<string>;
}

/**
 * A capability plugs into the app through these hooks, so the composition root, the CLI and
 * the HTTP app list features instead of knowing each one's insides.
 */
export interface Feature {
  name: string;
  /** Chat commands, card actions and middlewares. */
  registerBot?(router: Router): void;
  /** Routes on the express app. */
  registerHttp?(app: Express): void;
  /** Scheduled jobs. */
  jobs?(): JobDefinition[];
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
