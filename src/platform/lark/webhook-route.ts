import express, { Express, NextFunction, Request, Response } from 'express';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../settings/config';
import type { Logger } from '../logging/logger';
import { larkAckSeconds, larkWebhookRejected } from '../http/metrics';
import { decryptLarkPayload } from './decrypt';
import { tokenMatches, verifyLarkRequest } from './request-signature';

export const LARK_WEBHOOK_PATH = '/lark/events';

type Settings = Pick<Config, 'LARK_ENCRYPT_KEY' | 'LARK_VERIFICATION_TOKEN' | 'LARK_BODY_LIMIT'>;

/**
 * POST /lark/events: events and card callbacks pushed by Lark. Every check happens here, on the
 * exact bytes received, before anything is recorded:
 *  - the body size (LARK_BODY_LIMIT), then, with LARK_ENCRYPT_KEY, the timestamp (±5 min) and
 *    X-Lark-Signature in constant time; the body must be encrypted and must decrypt;
 *  - with LARK_VERIFICATION_TOKEN, the token inside the event.
 * A request that fails gets 401 (413 when too large, 400 when not JSON), is logged and counted,
 * and changes nothing. url_verification, which Lark sends unsigned, is answered with its
 * challenge once its token checks out. The rest goes to the SDK's EventDispatcher, whose handler
 * records the event and returns: its return value is the answer (a card callback's toast/card).
 */
export function mountLarkWebhook(app: Express, o: { config: Settings; logger: Logger; dispatcher: lark.EventDispatcher }): void {
  const { config, logger, dispatcher } = o;
  const key = config.LARK_ENCRYPT_KEY || undefined;
  const ackSeconds = larkAckSeconds.labels({ channel: 'webhook' });
  const token = config.LARK_VERIFICATION_TOKEN || undefined;
  if (!key) logger.warn('lark webhook: no LARK_ENCRYPT_KEY, so requests cannot be signature-checked (allowed outside production only)');
  if (!key && !token) logger.warn('lark webhook: neither LARK_ENCRYPT_KEY nor LARK_VERIFICATION_TOKEN is set: every request is accepted');

  // One route, no sub-router: every acknowledgement passes here, so it takes the shortest way.
  const readBody = express.raw({ type: () => true, limit: config.LARK_BODY_LIMIT });
  const handle = async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const reject = (status: number, reason: string) => {
      larkWebhookRejected.inc({ reason });
      logger.warn({ reason, status, ip: req.ip }, 'lark webhook: request refused');
      res.status(status).json({ error: status === 400 ? '请求体不是合法的 JSON' : '请求未通过飞书签名校验' });
    };
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-lark-signature');
    const headers = { timestamp: req.get('x-lark-request-timestamp'), nonce: req.get('x-lark-request-nonce'), signature };

    // Signed requests are checked before their body is even parsed.
    if (key && signature) {
      const v = verifyLarkRequest({ rawBody: raw, headers, encryptKey: key });
      if (!v.ok) return reject(401, v.reason);
    }
    let body: any;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reject(400, 'malformed');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return reject(400, 'malformed');

    let data: any = body;
    if (key) {
      if (typeof body.encrypt !== 'string') return reject(401, 'not_encrypted');
      try {
        data = JSON.parse(decryptLarkPayload(body.encrypt, key));
      } catch {
        return reject(401, 'undecryptable');
      }
      if (!data || typeof data !== 'object' || Array.isArray(data)) return reject(401, 'undecryptable');
    } else if (typeof body.encrypt === 'string') {
      return reject(401, 'encrypted_without_key');
    }

    const challenge = data.type === 'url_verification';
    if (key && !signature && !challenge) return reject(401, 'missing_signature');
    if (token && !tokenMatches(challenge ? data.token : (data.header?.token ?? data.token), token)) return reject(401, 'bad_token');
    if (challenge) {
      if (typeof data.challenge !== 'string') return reject(400, 'malformed');
      logger.info('lark webhook: url_verification answered');
      return void res.json({ challenge: data.challenge });
    }
    if (data.schema !== '2.0' || typeof data.header?.event_type !== 'string') {
      // A genuine request of a kind we do not subscribe to (e.g. a 1.0 event): acknowledge, ignore.
      logger.info({ type: data.type ?? data.event?.type }, 'lark webhook: event of an unhandled schema ignored');
      return void answer(res, {});
    }
    try {
      const result = await dispatcher.invoke(data, { needCheck: false });
      answer(res, result && typeof result === 'object' ? result : {});
    } catch (err) {
      // Not acknowledged: Lark delivers it again later.
      logger.error({ err, type: data.header.event_type }, 'lark webhook: could not record the event');
      res.status(500).json({ error: '暂时无法处理，请稍后重试' });
      return;
    }
    ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
  const onBodyError = (err: any, req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.too.large') {
      larkWebhookRejected.inc({ reason: 'too_large' });
      logger.warn({ reason: 'too_large', ip: req.ip }, 'lark webhook: request refused');
      return void res.status(413).json({ error: '请求体过大' });
    }
    if (err?.type === 'request.aborted' || err?.status === 400) {
      larkWebhookRejected.inc({ reason: 'bad_request' });
      return void res.status(400).json({ error: '请求有误' });
    }
    next(err);
  };
  app.post(LARK_WEBHOOK_PATH, readBody, handle, onBodyError);
}

/** 200 with a JSON body, written directly (no ETag: Lark does not cache, and this runs for every event). */
function answer(res: Response, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
