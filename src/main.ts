import type { Server } from 'node:http';
import { buildApp } from './app';
import { loadConfig, loadDotEnv } from './platform/settings/config';
import { openCore } from './platform/core/open-core';
import { createLogger } from './platform/logging/logger';
import { startJobs } from './platform/jobs/scheduler';

/** Composition root: config -> db -> stores -> features -> channels -> jobs. `npm start`. */
async function start(): Promise<void> {
  process.env.TZ ??= 'Asia/Shanghai';
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const core = await openCore(config, { logger });
  const app = buildApp(core);

  for (const f of app.features) await f.start?.();
  const stopJobs = config.JOBS_ENABLED ? startJobs(core, app.jobs) : () => undefined;

  const server: Server = app.http.listen(config.PORT, () => {
    logger.info(
      { port: config.PORT, console: config.consoleEnabled, lark: config.larkEnabled ? config.LARK_MODE : 'off' },
      config.consoleEnabled ? `信访助手已启动：http://localhost:${config.PORT}/console` : `信访助手已启动，端口 ${config.PORT}`,
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.close();
    stopJobs();
    for (const f of [...app.features].reverse()) await f.stop?.().catch((err) => logger.error({ err }, 'feature stop failed'));
    await new Promise<void>((r) => server.close(() => r()));
    await core.db.destroy();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

start().catch((err) => {
  createLogger().fatal({ err }, `启动失败：${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
