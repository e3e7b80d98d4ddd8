import express, { Express, NextFunction, Request, Response } from 'express';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../settings/config';
import type { Logger } from '../logging/logger';
import { larkAckSeconds, larkWebhookRejected } from '../metrics/metrics';
import { decryptLarkPayload } from './decrypt';
import { LarkSignatureHeaders, tokenMatches, verifyLarkRequest } from './request-signature';

export const LARK_WEBHOOK_PATH = '/lark/events';

type Settings = Pick<Config, 'LARK_ENCRYPT_KEY' | 'LARK_VERIFICATION_TOKEN' | 'LARK_BODY_LIMIT' | 'LARK_REQUEST_MAX_AGE_SECONDS'>;

/**
 * POST /lark/events: events and card callbacks pushed by Lark. Every check happens here, on the
 * exact bytes received, before anything is recorded:
 *  - the body size (LARK_BODY_LIMIT), then, with LARK_ENCRYPT_KEY, the timestamp (at most
 *    LARK_REQUEST_MAX_AGE_SECONDS old, 5 min ahead) and X-Lark-Signature in constant time; the
 *    body must be encrypted and must decrypt; a replay within the age window is recognised by its
 *    event id (recorded before the acknowledgement, kept LARK_EVENT_RETENTION_HOURS) and not run again;
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
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.get('x-lark-signature');
    const headers = { timestamp: req.get('x-lark-request-timestamp'), nonce: req.get('x-lark-request-nonce'), signature };
    const opened = signatureRefusal(raw, headers, key, config.LARK_REQUEST_MAX_AGE_SECONDS) ?? openBody(raw, key);
    if (isRefusal(opened)) return refuse(req, res, logger, opened);
    const data = opened.data;
    const challenge = data.type === 'url_verification';
    const refusal = originRefusal(data, { key, token, signed: Boolean(signature), challenge });
    if (refusal) return refuse(req, res, logger, refusal);
    if (challenge) return answerChallenge(req, res, logger, data);
    if (await dispatchEvent(res, logger, dispatcher, data)) ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
  app.post(LARK_WEBHOOK_PATH, readBody, handle, bodyErrors(logger));
}

/** Why a request is refused: its status, and the reason it is counted and logged under. */
interface Refusal {
  refused: true;
  status: 400 | 401;
  reason: string;
}

const refusal = (status: 400 | 401, reason: string): Refusal => ({ refused: true, status, reason });

function isRefusal(x: unknown): x is Refusal {
  return (x as Refusal)?.refused === true;
}

function refuse(req: Request, res: Response, logger: Logger, r: Refusal): void {
  larkWebhookRejected.inc({ reason: r.reason });
  logger.warn({ reason: r.reason, status: r.status, ip: req.ip }, 'lark webhook: request refused');
  res.status(r.status).json({ error: r.status === 400 ? '请求体不是合法的 JSON' : '请求未通过飞书签名校验' });
}

/** The signature check: a signed request is checked (with the encrypt key) before its body is even parsed. */
function signatureRefusal(raw: Buffer, headers: LarkSignatureHeaders, key: string | undefined, maxAgeSeconds: number): Refusal | null {
  if (!key || !headers.signature) return null;
  const v = verifyLarkRequest({ rawBody: raw, headers, encryptKey: key, maxAgeSeconds });
  return v.ok ? null : refusal(401, v.reason);
}

/**
 * The decryption: the body must be a JSON object; with the encrypt key it must be encrypted and
 * decrypt to a JSON object, and without one it must not be encrypted.
 */
function openBody(raw: Buffer, key: string | undefined): { data: any } | Refusal {
  let body: any;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return refusal(400, 'malformed');
  }
  if (!isObject(body)) return refusal(400, 'malformed');
  if (!key) return typeof body.encrypt === 'string' ? refusal(401, 'encrypted_without_key') : { data: body };
  if (typeof body.encrypt !== 'string') return refusal(401, 'not_encrypted');
  let data: unknown;
  try {
    data = JSON.parse(decryptLarkPayload(body.encrypt, key));
  } catch {
    return refusal(401, 'undecryptable');
  }
  return isObject(data) ? { data } : refusal(401, 'undecryptable');
}

function isObject(x: unknown): x is Record<string, any> {
  return Boolean(x) && typeof x === 'object' && !Array.isArray(x);
}

/** Only url_verification comes unsigned (when there is a key); the verification token, when set, must match. */
function originRefusal(data: any, o: { key?: string; token?: string; signed: boolean; challenge: boolean }): Refusal | null {
  if (o.key && !o.signed && !o.challenge) return refusal(401, 'missing_signature');
  if (o.token && !tokenMatches(o.challenge ? data.token : (data.header?.token ?? data.token), o.token)) return refusal(401, 'bad_token');
  return null;
}

/** url_verification: Lark checks the endpoint by asking for its challenge back. */
function answerChallenge(req: Request, res: Response, logger: Logger, data: any): void {
  if (typeof data.challenge !== 'string') return refuse(req, res, logger, refusal(400, 'malformed'));
  logger.info('lark webhook: url_verification answered');
  res.json({ challenge: data.challenge });
}

/**
 * The dispatch: a 2.0 event goes to the SDK's EventDispatcher, whose handler records it and
 * returns the answer. False when nothing was dispatched or it could not be recorded.
 */
async function dispatchEvent(res: Response, logger: Logger, dispatcher: lark.EventDispatcher, data: any): Promise<boolean> {
  if (data.schema !== '2.0' || typeof data.header?.event_type !== 'string') {
    // A genuine request of a kind we do not subscribe to (e.g. a 1.0 event): acknowledge, ignore.
    logger.info({ type: data.type ?? data.event?.type }, 'lark webhook: event of an unhandled schema ignored');
    answer(res, {});
    return false;
  }
  try {
    const result = await dispatcher.invoke(data, { needCheck: false });
    answer(res, result && typeof result === 'object' ? result : {});
    return true;
  } catch (err) {
    // Not acknowledged: Lark delivers it again later.
    logger.error({ err, type: data.header.event_type }, 'lark webhook: could not record the event');
    res.status(500).json({ error: '暂时无法处理，请稍后重试' });
    return false;
  }
}

/** A body too large (413) or cut short (400), refused before any check. */
function bodyErrors(logger: Logger) {
  return (err: any, req: Request, res: Response, next: NextFunction) => {
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
}

/** 200 with a JSON body, written directly (no ETag: Lark does not cache, and this runs for every event). */
function answer(res: Response, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
