import { createHash, timingSafeEqual } from 'node:crypto';

/** Lark's request headers that carry the signature (present when an encrypt key is set). */
export interface LarkSignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

export type VerifyFailure = 'missing_signature' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/** How far ahead of our clock a request's timestamp may be (the two clocks' disagreement). */
export const FUTURE_SKEW_SECONDS = 5 * 60;

/** X-Lark-Signature: sha256(timestamp + nonce + encrypt key + raw body), hex. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/**
 * Checks a signed request: its timestamp at most `maxAgeSeconds` old (LARK_REQUEST_MAX_AGE_SECONDS:
 * long enough for Lark's last re-delivery, should it carry the first timestamp; a request captured
 * and replayed within it is stopped by its event id, which is kept longer) and at most 5 minutes
 * ahead of our clock; then the signature over the exact bytes received, compared in constant time.
 */
export function verifyLarkRequest(opts: {
  rawBody: Buffer;
  headers: LarkSignatureHeaders;
  encryptKey: string;
  maxAgeSeconds: number;
  nowMs?: number;
}): VerifyResult {
  const { timestamp, nonce, signature } = opts.headers;
  if (!timestamp || nonce === undefined || !signature) return { ok: false, reason: 'missing_signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const age = (opts.nowMs ?? Date.now()) / 1000 - Number(timestamp);
  if (age > opts.maxAgeSeconds || -age > FUTURE_SKEW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  // The digest itself against the header's 32 bytes (64 hex digits, either case): no hex strings made.
  const expected = createHash('sha256').update(timestamp + nonce + opts.encryptKey, 'utf8').update(opts.rawBody).digest();
  const given = signature.length === 64 ? Buffer.from(signature, 'hex') : null;
  const ok = given !== null && given.length === 32 && timingSafeEqual(given, expected);
  return ok ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** The verification token Lark puts in every event, compared in constant time. */
export function tokenMatches(given: unknown, expected: string): boolean {
  return typeof given === 'string' && safeEqual(given, expected);
}

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
