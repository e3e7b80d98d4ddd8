import { pingDatabase } from '../database/connection';
import express, { Express, NextFunction, Request, Response } from 'express';
import type { Router } from '../chat/router';
import type { Core, Feature } from '../core/feature';
import { mountConsole } from '../console/console-channel';

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
      res.json({ status: 'ok' });
    } catch (err) {
      core.logger.error({ err }, 'health check failed');
      res.status(503).json({ status: 'error', error: '数据库无法连接' });
    }
  });

  for (const f of features) f.registerHttp?.(app);
  if (core.config.consoleEnabled) mountConsole(app, core, router);

  app.get('/', (_req, res) => {
    res.redirect(core.config.consoleEnabled ? '/console' : '/schedule');
  });

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
