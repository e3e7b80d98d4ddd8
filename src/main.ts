import { buildApp } from './app';
import { listenHttp } from './platform/http/http-app';
import { doesWork, loadConfig, loadDotEnv } from './platform/settings/config';
import { openCore } from './platform/core/open-core';
import { createLogger } from './platform/logging/logger';
import { startJobs } from './platform/jobs/scheduler';

/**
 * How long a stop may take before the process exits anyway: the Lark channel's and the sender's
 * own waits (10 s each at most) and a margin, inside the 30 s a container is usually given.
 */
const SHUTDOWN_GRACE_MS = 25_000;

/** What the start line says of the role. */
const ROLE_TEXT = { all: '', web: '（web 角色：只接收并记录事件，由 worker 处理）', worker: '（worker 角色：处理事件、发送消息、运行定时任务）' } as const;

/** Composition root: config -> db -> stores -> features -> channels -> jobs. `npm start`. */
async function start(): Promise<void> {
  process.env.TZ ??= 'Asia/Shanghai';
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const core = await openCore(config, { logger });
  const app = buildApp(core);

  // The port first: a second server on a busy port exits here, before any outbox, poller or job starts.
  const server = await listenHttp(app.http, config.PORT, config.HOST).catch(async (err) => {
    await core.db.destroy().catch(() => undefined);
    throw err;
  });
  for (const f of app.features) await f.start?.();
  // Jobs run in the processes that work (XINFANG_ROLE all or worker); their leases keep one run per slot.
  const stopJobs = config.JOBS_ENABLED && doesWork(config) ? startJobs(core, app.jobs) : () => undefined;
  // Holidays imported by the CLI or another replica are taken up without a restart.
  const stopCalendarRefresh = core.calendar.startRefresh(config.CALENDAR_REFRESH_SECONDS * 1000, logger);

  const host = config.HOST && !['0.0.0.0', '::'].includes(config.HOST) ? config.HOST : 'localhost';
  const where = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
  logger.info(
    { port: config.PORT, host: config.HOST ?? '*', role: config.XINFANG_ROLE, console: config.consoleEnabled, lark: config.larkEnabled ? config.LARK_MODE : 'off' },
    `${config.consoleEnabled && config.XINFANG_ROLE !== 'worker' ? `信访助手已启动：${where}/console` : `信访助手已启动，${config.HOST ? `地址 ${config.HOST}，` : ''}端口 ${config.PORT}`}${ROLE_TEXT[config.XINFANG_ROLE]}`,
  );

  let stopping = false;
  /**
   * SIGTERM / SIGINT, also under load: no new connections; then each feature stops in reverse
   * order — the Lark channel answers the requests in hand, records what arrived (unclaimed, for
   * any replica's poller), hands back the events it had not started, waits for the batches under
   * way, and the sender waits for its sends in flight and hands back the rows it had queued. So
   * nothing acknowledged is lost and no row stays claimed until its lease lapses. Only work still
   * running after SHUTDOWN_GRACE_MS is left to its lease (another replica, or this one restarted,
   * takes it over then).
   */
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, '停止超时：仍在进行的工作留给租约到期后由其他进程接手，现在退出');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close();
    server.closeIdleConnections();
    stopJobs();
    stopCalendarRefresh();
    for (const f of [...app.features].reverse()) await f.stop?.().catch((err) => logger.error({ err }, 'feature stop failed'));
    // Nothing can be recorded any more: connections kept alive by a client are closed too.
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await core.db.destroy();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

start().catch((err) => {
  const msg = `启动失败：${err instanceof Error ? err.message : String(err)}`;
  createLogger().fatal({ err }, msg);
  process.stderr.write(`${msg}\n`);
  process.exit(1);
});
