import { etagMatches } from './etag';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from '../platform/logging/logger';
import type { FeedService, FeedSpec } from './feed-service';
import type { FeedRateLimiter } from './rate-limit';

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';
const NOT_FOUND = '没有这个日历订阅：链接无效或已停用。如需新链接，请联系县信访局。';

export interface FeedRoutesDeps {
  service: FeedService;
  limiter: FeedRateLimiter;
  logger: Logger;
  now: () => Date;
}

/**
 * GET /ical/public.ics and /ical/{leader|venue|deadlines}/<token>.ics.
 *
 * Every request first takes one from its client's budget (429 when spent). Then the feed's
 * version comes from aggregate queries; a matching If-None-Match is answered 304 without
 * rendering. Unknown, revoked and mismatched tokens all take the same path to a 404.
 * Token URLs are never logged.
 */
export function mountFeedRoutes(app: Express, deps: FeedRoutesDeps): void {
  app.use('/ical', async (req: Request, res: Response, next: NextFunction) => {
    const r = await deps.limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (r.ok) return next();
    res.set('Retry-After', String(r.retryAfterSeconds));
    res.status(429).json({ error: `请求过于频繁，请 ${r.retryAfterSeconds} 秒后再试` });
  });

  app.get('/ical/public.ics', async (req, res) => {
    await serve(deps, req, res, { kind: 'public' }, 'public');
  });

  app.get('/ical/:kind/:file', async (req, res) => {
    const kind = String(req.params.kind);
    const file = String(req.params.file);
    // A path without “.ics” is looked up as an empty token: the same work as any other miss.
    const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
    const spec = await deps.service.specForToken(kind, token);
    if (!spec) return void res.status(404).json({ error: NOT_FOUND });
    await serve(deps, req, res, spec, 'private');
  });
}

async function serve(deps: FeedRoutesDeps, req: Request, res: Response, spec: FeedSpec, visibility: 'public' | 'private') {
  const now = deps.now();
  const version = await deps.service.version(spec, now);
  res.set('ETag', version.etag);
  if (version.lastModified) res.set('Last-Modified', version.lastModified.toUTCString());
  // Revalidate every time: the ETag makes that cheap, and a change shows on the next poll.
  res.set('Cache-Control', `${visibility}, no-cache`);
  if (visibility === 'private') {
    res.set('X-Robots-Tag', 'noindex, nofollow');
    res.set('Referrer-Policy', 'no-referrer');
  }
  if (etagMatches(req.get('If-None-Match'), version.etag)) return void res.status(304).end();

  const body = await deps.service.body(spec, now, version);
  res.status(200);
  res.set('Content-Type', ICS_CONTENT_TYPE);
  res.set('Content-Disposition', `inline; filename="${spec.kind}.ics"`);
  res.set('Content-Length', String(body.length));
  // end(), not send(): send() would answer 304 on If-Modified-Since alone, and a feed also
  // changes when a past or cancelled session leaves its window, which no row's time records.
  res.end(body);
}
