import { Command, CommanderError } from 'commander';
import { chineseUsageMessage } from './platform/cli/usage-messages';
import { buildApp } from './app';
import { registerCalendarCli } from './platform/cli/calendar-cli';
import { registerDatabaseCli } from './platform/cli/database-cli';
import { registerDirectoryCli } from './platform/cli/directory-cli';
import { registerJobsCli } from './platform/cli/jobs-cli';
import { registerDoctorCli } from './platform/doctor/doctor-cli';
import { registerLarkCli } from './platform/lark/lark-check-cli';
import { loadConfig, loadDotEnv } from './platform/settings/config';
import { openCore } from './platform/core/open-core';
import type { CliIO, CliRegistrar, Core } from './platform/core/feature';
import { cliRegistrars } from './capabilities';
import { createLogger } from './platform/logging/logger';
import { describeDatabaseError } from './platform/database/database-error';

import { CliUsageError } from './platform/errors/cli-usage-error';

export { CliUsageError };

/** Builds the `xinfang` program. Output goes through io, so tests run it in-process. */
export function buildProgram(io: CliIO, env: NodeJS.ProcessEnv = process.env): { program: Command; close: () => Promise<void> } {
  let core: Core | null = null;
  // The core opens on the first command that needs it (`--help` and `migrate` never do).
  const openCoreOnce = async (): Promise<Core> => {
    if (!core) {
      const config = loadConfig(env);
      core = await openCore(config, { logger: createLogger(env.LOG_LEVEL ?? 'warn', pinoToStderr(io)) });
    }
    return core;
  };
  const close = async () => {
    if (core) await core.db.destroy();
    core = null;
  };

  const program = new Command('xinfang')
    .description('信访助手的管理命令（读取 DATABASE_URL 等设置，见 README）')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (str, write) => write(chineseUsageMessage(str)) });

  // The shared machinery's commands first, then each capability's: the order `xinfang --help` lists them.
  const parts: CliRegistrar[] = [
    registerDatabaseCli(() => loadConfig(env)),
    registerDirectoryCli,
    registerCalendarCli((c) => buildApp(c).features),
    registerJobsCli((c) => buildApp(c).jobs),
    registerDoctorCli((c) => buildApp(c).features),
    registerLarkCli,
    ...cliRegistrars,
  ];
  for (const register of parts) register(program, openCoreOnce, io);
  return { program, close };
}

function pinoToStderr(io: CliIO) {
  return { write: (s: string) => io.err(s) };
}

/** Runs the CLI with argv; maps user mistakes to exit 2 and a Chinese message. */
export async function runCli(argv: string[], io: CliIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  const ioWithCode: CliIO = { ...io, setExitCode: (c) => { code = c; io.setExitCode(c); } };
  const { program, close } = buildProgram(ioWithCode, env);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof CliUsageError) {
      io.err(`${e.message}\n`);
      code = e.exitCode;
    } else if (e instanceof Error && e.name === 'ConfigError') {
      io.err(`${e.message}\n`);
      code = 2;
    } else {
      io.err(`出错了：${errorLine(e, env, io)}\n`);
      code = 1;
    }
  } finally {
    await close();
  }
  return code;
}

/**
 * What "出错了：" says: a database error as one Chinese line (its statement, which may hold 240 KB
 * of a spreadsheet cell or personal data, only in the log at debug level); anything else by its
 * message, cut short.
 */
function errorLine(e: unknown, env: NodeJS.ProcessEnv, io: CliIO): string {
  const db = describeDatabaseError(e);
  if (db) {
    createLogger(env.LOG_LEVEL ?? 'warn', pinoToStderr(io)).debug({ err: e }, 'database error');
    return db;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 500 ? `${msg.slice(0, 500)}……（共 ${msg.length} 字，已截断）` : msg;
}

export async function main(argv: string[]): Promise<void> {
  loadDotEnv();
  // `xinfang users list | head` closes the pipe early: that is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const code = await runCli(argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    setExitCode: (c) => { process.exitCode = c; },
  });
  process.exitCode = code;
}
