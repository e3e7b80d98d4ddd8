import type { IncomingMessage, ServerResponse } from 'node:http';
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
 * challenge once its token checks out. The rest goes to the handler the SDK's EventDispatcher
 * holds for its event type, which records the event and returns: its return value is the answer
 * (a card callback's toast/card).
 *
 * The shortest way, because every acknowledgement passes here (bench/lark-webhook.ts): a plain
 * POST to exactly this path is answered before express sees it (express's own dispatch, its
 * request and response objects, cost more per request than the signature, the decryption and the
 * recording together), its body read directly. Everything else that express would route here
 * (a trailing slash, another letter case, a compressed body) goes the express way, to the same
 * checks; every other path and method is express's as before.
 */
export function mountLarkWebhook(app: Express, o: { config: Settings; logger: Logger; dispatcher: lark.EventDispatcher }): void {
  const { config, logger } = o;
  if (!config.LARK_ENCRYPT_KEY) logger.warn('lark webhook: no LARK_ENCRYPT_KEY, so requests cannot be signature-checked (allowed outside production only)');
  if (!config.LARK_ENCRYPT_KEY && !config.LARK_VERIFICATION_TOKEN) {
    logger.warn('lark webhook: neither LARK_ENCRYPT_KEY nor LARK_VERIFICATION_TOKEN is set: every request is accepted');
  }
  const handle = webhookHandler(o);
  const limit = byteLimit(config.LARK_BODY_LIMIT);
  const readBody = express.raw({ type: () => true, limit });
  app.post(LARK_WEBHOOK_PATH, readBody, (req: Request, res: Response) => handle(req, res, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)), bodyErrors(logger));

  // The app function calls app.handle for every request; this one is taken first.
  const viaExpress = (app as unknown as { handle: ExpressHandle }).handle;
  (app as unknown as { handle: ExpressHandle }).handle = function (this: unknown, req, res, next) {
    if (req.method !== 'POST' || req.url !== LARK_WEBHOOK_PATH || !plainBody(req)) return viaExpress.call(this, req, res, next);
    readRawBody(req, limit, (err, raw) => {
      if (err) return void bodyError(logger, req, res, err);
      handle(req, res, raw!).catch((e) => failed(logger, res, e));
    });
  };
}

type ExpressHandle = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

/** The checks and the dispatch of one request whose body has been read. */
function webhookHandler(o: { config: Settings; logger: Logger; dispatcher: lark.EventDispatcher }) {
  const { config, logger, dispatcher } = o;
  const key = config.LARK_ENCRYPT_KEY || undefined;
  const ackSeconds = larkAckSeconds.labels({ channel: 'webhook' });
  const token = config.LARK_VERIFICATION_TOKEN || undefined;
  return async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    const started = process.hrtime.bigint();
    const h = req.headers;
    const signature = header(h['x-lark-signature']);
    const headers = { timestamp: header(h['x-lark-request-timestamp']), nonce: header(h['x-lark-request-nonce']), signature };
    const opened = signatureRefusal(raw, headers, key, config.LARK_REQUEST_MAX_AGE_SECONDS) ?? openBody(raw, key);
    if (isRefusal(opened)) return refuse(req, res, logger, opened);
    const data = opened.data;
    const challenge = data.type === 'url_verification';
    const refusal = originRefusal(data, { key, token, signed: Boolean(signature), challenge });
    if (refusal) return refuse(req, res, logger, refusal);
    if (challenge) return answerChallenge(req, res, logger, data);
    if (await dispatchEvent(res, logger, dispatcher, data)) ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A body to read as it is: not compressed (a compressed one goes the express way, which inflates it). */
function plainBody(req: IncomingMessage): boolean {
  const enc = req.headers['content-encoding'];
  return enc === undefined || enc.toLowerCase() === 'identity';
}

/** LARK_BODY_LIMIT in bytes (the bytes package's syntax, as express reads it: 256kb, 1mb, 4096). */
export function byteLimit(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!m) throw new Error(`LARK_BODY_LIMIT 无法识别：${value}（例如 256kb、1mb）`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * unit);
}

/**
 * Reads the whole body, refusing one larger than the limit (by its Content-Length before reading,
 * else as it arrives) with the error body-parser gives, so both ways answer alike.
 */
function readRawBody(req: IncomingMessage, limit: number, done: (err: { type: string } | null, raw?: Buffer) => void): void {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    req.resume();
    return done({ type: 'entity.too.large' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  req.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size > limit) {
      over = true;
      chunks.length = 0;
      return done({ type: 'entity.too.large' });
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (!over) done(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
  req.on('error', () => {
    if (!over) done({ type: 'request.aborted' });
    over = true;
  });
}

/** Not acknowledged: Lark delivers it again later. */
function failed(logger: Logger, res: ServerResponse, err: unknown): void {
  logger.error({ err }, 'lark webhook: request failed');
  if (!res.headersSent) send(res, 500, { error: '暂时无法处理，请稍后重试' });
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

function refuse(req: IncomingMessage, res: ServerResponse, logger: Logger, r: Refusal): void {
  larkWebhookRejected.inc({ reason: r.reason });
  logger.warn({ reason: r.reason, status: r.status, ip: clientIp(req) }, 'lark webhook: request refused');
  send(res, r.status, { error: r.status === 400 ? '请求体不是合法的 JSON' : '请求未通过飞书签名校验' });
}

/**
 * Who sent a refused request, for the log: express's req.ip when it came the express way; else
 * the peer, or behind a proxy on this machine (the app trusts loopback) the last address the
 * proxy added to X-Forwarded-For.
 */
function clientIp(req: IncomingMessage): string | undefined {
  const viaExpress = (req as Partial<Request>).ip;
  if (viaExpress) return viaExpress;
  const peer = req.socket.remoteAddress;
  const loopback = (a?: string) => Boolean(a && /^(127\.|::1$|::ffff:127\.)/.test(a));
  const forwarded = header(req.headers['x-forwarded-for']);
  if (!loopback(peer) || !forwarded) return peer;
  const hops = forwarded.split(',').map((a) => a.trim()).filter(Boolean);
  return [...hops].reverse().find((a) => !loopback(a)) ?? hops[0] ?? peer;
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
function answerChallenge(req: IncomingMessage, res: ServerResponse, logger: Logger, data: any): void {
  if (typeof data.challenge !== 'string') return refuse(req, res, logger, refusal(400, 'malformed'));
  logger.info('lark webhook: url_verification answered');
  send(res, 200, { challenge: data.challenge });
}

/**
 * The dispatch: a 2.0 event goes to the handler the SDK's EventDispatcher holds for its type,
 * which records it and returns the answer. The event is handed over as the dispatcher's invoke()
 * would hand it (header and event fields flattened into one object), without invoke()'s second
 * decryption check and its copies: this route has checked and opened the body already. A type
 * with no handler goes through invoke(), which logs it. False when nothing was dispatched or it
 * could not be recorded.
 */
async function dispatchEvent(res: ServerResponse, logger: Logger, dispatcher: lark.EventDispatcher, data: any): Promise<boolean> {
  if (data.schema !== '2.0' || typeof data.header?.event_type !== 'string') {
    // A genuine request of a kind we do not subscribe to (e.g. a 1.0 event): acknowledge, ignore.
    logger.info({ type: data.type ?? data.event?.type }, 'lark webhook: event of an unhandled schema ignored');
    send(res, 200, {});
    return false;
  }
  try {
    const handler = dispatcher.handles.get(data.header.event_type);
    const result = handler ? await handler(flatten(data)) : await dispatcher.invoke(data, { needCheck: false });
    send(res, 200, result && typeof result === 'object' ? result : {});
    return true;
  } catch (err) {
    // Not acknowledged: Lark delivers it again later.
    logger.error({ err, type: data.header.event_type }, 'lark webhook: could not record the event');
    send(res, 500, { error: '暂时无法处理，请稍后重试' });
    return false;
  }
}

/** A 2.0 event as the SDK's dispatcher hands it to a handler: its other fields, then the header's, then the event's. */
export function flatten(data: Record<string, any>): Record<string, any> {
  const { header, event, ...rest } = data;
  return Object.assign(rest, header, event);
}

/** A body too large (413) or cut short (400), refused before any check (either way of reading it). */
function bodyError(logger: Logger, req: IncomingMessage, res: ServerResponse, err: any): boolean {
  if (err?.type === 'entity.too.large') {
    larkWebhookRejected.inc({ reason: 'too_large' });
    logger.warn({ reason: 'too_large', ip: clientIp(req) }, 'lark webhook: request refused');
    send(res, 413, { error: '请求体过大' });
    return true;
  }
  if (err?.type === 'request.aborted' || err?.status === 400) {
    larkWebhookRejected.inc({ reason: 'bad_request' });
    if (!res.headersSent && !res.destroyed) send(res, 400, { error: '请求有误' });
    return true;
  }
  return false;
}

function bodyErrors(logger: Logger) {
  return (err: any, req: Request, res: Response, next: NextFunction) => {
    if (!bodyError(logger, req, res, err)) next(err);
  };
}

/** A JSON answer, written directly (no ETag: Lark does not cache, and this runs for every event). */
function send(res: ServerResponse, status: number, body: object): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
