import { timingSafeEqual } from 'node:crypto';
import http, { Server } from 'node:http';
import { pingDatabase } from '../database/connection';
import express, { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Router } from '../chat/router';
import type { Core, Feature } from '../core/feature';
import { mountConsole } from '../console/console-channel';
import { backlogOf, outboxBacklog, publishBacklogMetrics } from '../outbox/outbox-backlog';
import { transportNameFor } from '../outbox/transport';
import { mountMetrics } from '../metrics/metrics';
import { servesWeb } from '../settings/config';

/**
 * The express app: health, the console sandbox when enabled, and each feature's routes.
 * Bad input is answered 4xx with a JSON error in Chinese; a 500 means a fault of ours.
 */
export function createHttpApp(core: Core, router: Router, features: Feature[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', async (_req, res) => {
    try {
      await pingDatabase(core.db);
    } catch (err) {
      core.logger.error({ err }, 'health check failed');
      return void res.status(503).json({ status: 'error', error: '数据库无法连接' });
    }
    res.json(await outboxHealth(core));
  });

  // Before the features' routes, so the metrics route (the Lark feature's) is reached only through it.
  app.use('/metrics', metricsGate(core));
  app.use('/metrics', (_req, _res, next) => void refreshBacklogMetrics(core).finally(() => next()));
  if (servesWeb(core.config)) {
    for (const f of features) f.registerHttp?.(app);
    if (core.config.consoleEnabled) mountConsole(app, core, router);
    app.get('/', (_req, res) => {
      res.redirect(core.config.consoleEnabled ? '/console' : '/schedule');
    });
  } else {
    // The worker role serves nothing of the bureau's: its health and its metrics only.
    mountMetrics(app);
  }

  app.use((_req, res) => {
    res.status(404).json({ error: '没有这个地址' });
  });

  // express 5 passes rejected promises here too.
  app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
    const status = Number(err?.status ?? err?.statusCode ?? 500);
    if (err?.type === 'entity.parse.failed') return void res.status(400).json({ error: '请求体不是合法的 JSON' });
    if (err?.type === 'entity.too.large') return void res.status(413).json({ error: '请求体过大' });
    if (status >= 400 && status < 500) return void res.status(status).json({ error: err.expose ? String(err.message) : '请求有误' });
    core.logger.error({ err }, 'request failed');
    res.status(500).json({ error: '服务器内部错误，请稍后再试' });
  });
  return app;
}

const HEALTH_FAILED_WINDOW_MS = 24 * 3_600_000;

/**
 * /healthz's view of the outbox of this process's transport: 'degraded', with the counts and the
 * reasons in Chinese, when the oldest waiting message has waited past OUTBOX_BACKLOG_ALERT_SECONDS
 * or messages failed in the last 24 hours. Still HTTP 200: a Lark outage is not this replica's
 * fault, and a load balancer that took it out would stop the acknowledgements Lark needs too
 * (README, "/healthz"). Only a database that does not answer is a 503.
 */
async function outboxHealth(core: Core): Promise<Record<string, unknown>> {
  const transport = transportNameFor(core.config);
  const now = core.now();
  let b;
  try {
    b = backlogOf(await outboxBacklog(core.db, now, new Date(now.getTime() - HEALTH_FAILED_WINDOW_MS)), transport);
  } catch (err) {
    core.logger.warn({ err }, 'health check: could not read the outbox backlog');
    return { status: 'degraded', problems: ['无法读取发件箱的积压情况（详见服务器日志）'] };
  }
  const problems: string[] = [];
  if (b.waiting && b.oldestWaitSeconds > core.config.OUTBOX_BACKLOG_ALERT_SECONDS) {
    problems.push(
      `发件箱积压：${b.waiting} 条消息等待发送，最早的已等待 ${waitText(b.oldestWaitSeconds)}` +
        (b.retrying ? `；其中 ${b.retrying} 条发送失败，正在按退避重试` : ''),
    );
  }
  if (b.failedRecent) problems.push(`过去 24 小时有 ${b.failedRecent} 条消息发送失败（xinfang outbox list --failed 查看，修复原因后 xinfang outbox retry --failed 重发）`);
  const outbox = { transport, waiting: b.waiting, retrying: b.retrying, oldestWaitSeconds: b.oldestWaitSeconds, failed: b.failed, failedLast24h: b.failedRecent };
  return problems.length ? { status: 'degraded', problems, outbox } : { status: 'ok', outbox };
}

function waitText(seconds: number): string {
  return seconds < 120 ? `${seconds} 秒` : seconds < 7200 ? `${Math.round(seconds / 60)} 分钟` : `${(seconds / 3600).toFixed(1)} 小时`;
}

/** The backlog gauges, read at each scrape; a database that does not answer leaves the last values. */
async function refreshBacklogMetrics(core: Core): Promise<void> {
  try {
    const now = core.now();
    publishBacklogMetrics(await outboxBacklog(core.db, now, new Date(now.getTime() - HEALTH_FAILED_WINDOW_MS)), [transportNameFor(core.config)]);
  } catch (err) {
    core.logger.debug({ err }, 'metrics: could not read the outbox backlog');
  }
}

/**
 * GET /metrics behind METRICS_TOKEN: with a token, only a request carrying it
 * (`Authorization: Bearer <token>`, or `?token=` for scrapers that cannot set headers) gets
 * through, anything else is answered 401; `off` serves no metrics at all (404); unset leaves
 * them open, as before, with a warning in production.
 */
function metricsGate(core: Core): RequestHandler {
  const token = core.config.METRICS_TOKEN;
  if (!token && core.config.isProduction) {
    core.logger.warn('GET /metrics 没有访问令牌：任何能访问本端口的人都能读取运行指标；请设置 METRICS_TOKEN（或 off 关闭）');
  }
  if (!token) return (_req, _res, next) => next();
  if (token.toLowerCase() === 'off') return (_req, res) => void res.status(404).json({ error: '没有这个地址' });
  const expected = Buffer.from(token);
  return (req, res, next) => {
    const header = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const given = Buffer.from(header ?? (typeof req.query.token === 'string' ? req.query.token : ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: '读取运行指标需要正确的访问令牌（METRICS_TOKEN）' });
  };
}

/** Why the server could not listen, in Chinese: a busy port, a port it may not use, an address it does not have. */
export function listenFailureMessage(err: unknown, port: number, host?: string): string {
  const code = (err as { code?: string } | null)?.code;
  const where = host ? `${host}:${port}` : `端口 ${port}`;
  if (code === 'EADDRINUSE') return `端口 ${port} 已被占用${host ? `（地址 ${host}）` : ''}：可能另一个信访助手已在运行。请停止它，或用 PORT 换一个端口。本进程未启动任何工作，现在退出。`;
  if (code === 'EACCES') return `没有权限监听${where}（1024 以下的端口需要管理员权限）。请用 PORT 换一个端口。本进程现在退出。`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `本机没有地址 ${host}（HOST 设置有误）。本进程现在退出。`;
  return `无法监听${where}：${err instanceof Error ? err.message : String(err)}。本进程现在退出。`;
}

/**
 * Starts listening and resolves once the port is ours; rejects, with the Chinese reason as its
 * message, when it cannot be (a busy port: another server already runs there).
 */
export function listenHttp(app: Express, port: number, host?: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    const failed = (err: Error & { code?: string }) => {
      server.close();
      reject(Object.assign(new Error(listenFailureMessage(err, port, host)), { code: err.code }));
    };
    server.once('error', failed);
    server.once('listening', () => {
      server.off('error', failed);
      resolve(server);
    });
    if (host) server.listen(port, host);
    else server.listen(port);
  });
}
