import { cardErrorMessage, checkCard } from './lark-card-rules';

/**
 * What the open platform refuses in a message call, as the fake Lark server applies it. Each rule
 * and its answer come from the documentation (open.feishu.cn/document/server-docs/…):
 *  - im-v1/message/create and reply: receive_id_type one of open_id/union_id/user_id/email/chat_id
 *    and the id of that kind (230034 "The receive_id is invalid"); the bot in the group (230002);
 *    the person in the app's availability (230013); the request body at most 30 KB for a card or
 *    rich text and 150 KB for text (230025); a uuid of at most 50 characters, which keeps a second
 *    send with it from creating a message for one hour; 5 per second to one user or group (230020);
 *  - im-v1/message-card/patch: only a card (230001 "This message is NOT a card"), declared
 *    update_multi true before and after, sent at most 14 days ago (230031), 5 updates per second
 *    per message (230020), 30 KB;
 *  - api-call-guide/frequency-control: "1000 次/分钟、50 次/秒" per API, per app, per tenant,
 *    either limit triggering 99991400, with HTTP 429 and x-ogw-ratelimit-reset (seconds) — or, for
 *    some older APIs, HTTP 400;
 *  - card JSON 2.0: lark-card-rules.ts (230099 with the sub-code).
 */

/** An answer that refuses the call. */
export interface Refusal {
  status: number;
  code: number;
  msg: string;
  headers?: Record<string, string>;
}

export const KB = 1024;
/** Largest request body Lark takes for a card or rich text (the card counted as the escaped string it travels in), and for text. */
export const CARD_BODY_MAX = 30 * KB;
export const TEXT_BODY_MAX = 150 * KB;
/** How long Lark remembers a uuid. */
export const UUID_TTL_MS = 3600_000;
/** How long after sending a card may still be updated. */
export const PATCH_MAX_AGE_MS = 14 * 24 * 3600_000;

const MSG_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system'];

export const refuse = (status: number, code: number, msg: string, headers?: Record<string, string>): Refusal => ({ status, code, msg, headers });
const invalidParam = (ext: string) => refuse(400, 230001, `Your request contains an invalid request parameter, ext=${ext}`);
const fieldValidation = (field: string) => refuse(400, 99992402, `field validation failed: ${field}`);

/** The receive_id_type must be one Lark knows, and the id must be of that kind. */
export function receiveIdRefusal(type: string | null, id: unknown): Refusal | null {
  if (!type || !['open_id', 'union_id', 'user_id', 'email', 'chat_id'].includes(type)) return fieldValidation('receive_id_type');
  if (typeof id !== 'string' || !id) return fieldValidation('receive_id');
  const ok =
    type === 'open_id' ? id.startsWith('ou_')
    : type === 'union_id' ? id.startsWith('on_')
    : type === 'chat_id' ? id.startsWith('oc_')
    : type === 'email' ? /^[^@\s]+@[^@\s]+$/.test(id)
    : !/^(ou|on|oc)_/.test(id);
  return ok ? null : refuse(400, 230034, 'The receive_id is invalid.');
}

/** The body of a create or reply: its type, its content, its size, its uuid. */
export function messageBodyRefusal(b: Record<string, any>, rawBytes: number, fileKeys: ReadonlySet<string>): Refusal | null {
  if (typeof b.msg_type !== 'string' || !MSG_TYPES.includes(b.msg_type)) return invalidParam('invalid msg_type');
  if (typeof b.content !== 'string') return invalidParam('invalid message content');
  if (b.uuid !== undefined && (typeof b.uuid !== 'string' || b.uuid.length > 50)) return fieldValidation('uuid');
  const size = sizeRefusal(b.msg_type, rawBytes);
  if (size) return size;
  return contentRefusal(b.msg_type, b.content, fileKeys);
}

/** 230025 when the request body is over the limit of its message type. */
export function sizeRefusal(msgType: string, rawBytes: number): Refusal | null {
  const max = msgType === 'text' ? TEXT_BODY_MAX : msgType === 'interactive' || msgType === 'post' ? CARD_BODY_MAX : Number.POSITIVE_INFINITY;
  return rawBytes > max ? refuse(400, 230025, 'The length of the message content reaches its limit.') : null;
}

function contentRefusal(msgType: string, content: string, fileKeys: ReadonlySet<string>): Refusal | null {
  let c: any;
  try {
    c = JSON.parse(content);
  } catch {
    return msgType === 'interactive'
      ? refuse(400, 230099, 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err, please check whether the card json is correct; ')
      : invalidParam('invalid message content');
  }
  if (msgType === 'text') return c && typeof c.text === 'string' ? null : invalidParam('invalid message content');
  if (msgType === 'file') return c && fileKeys.has(c.file_key) ? null : refuse(400, 230017, 'Bot is NOT the owner of the resource.');
  if (msgType === 'interactive') return cardRefusal(c);
  return null;
}

/** 230099 with the first broken 2.0 rule, as Lark words it. */
export function cardRefusal(card: unknown): Refusal | null {
  const v = checkCard(card);
  return v.length ? refuse(400, 230099, cardErrorMessage(v[0])) : null;
}

/** A patch: of a card the bot sent, shared before and after, within 14 days. */
export function patchRefusal(
  target: { msg_type: string; content: string; at: number } | undefined,
  b: Record<string, any>,
  rawBytes: number,
  now: number,
): Refusal | null {
  if (!target) return invalidParam('message not found');
  if (target.msg_type !== 'interactive') return invalidParam('This message is NOT a card');
  if (typeof b.content !== 'string') return invalidParam('invalid message content');
  if (now - target.at > PATCH_MAX_AGE_MS) return refuse(400, 230031, 'Message can only be modified within 14 days after sending.');
  const size = sizeRefusal('interactive', rawBytes);
  if (size) return size;
  let next: any;
  try {
    next = JSON.parse(b.content);
  } catch {
    return contentRefusal('interactive', b.content, new Set());
  }
  if (!isShared(target.content) || next?.config?.update_multi !== true) {
    return invalidParam('the card must declare config.update_multi true before and after the update (shared card)');
  }
  return cardRefusal(next);
}

function isShared(content: string): boolean {
  try {
    return JSON.parse(content)?.config?.update_multi === true;
  } catch {
    return false;
  }
}

/**
 * Calls over sliding windows, per key: how long until one more fits under each (limit, window),
 * 0 when it fits now. Only accepted calls are recorded.
 */
export class Windows {
  private readonly times = new Map<string, number[]>();

  wait(key: string, limits: Array<{ limit: number; windowMs: number }>, now: number): number {
    const t = this.prune(key, now);
    let wait = 0;
    for (const { limit, windowMs } of limits) {
      if (limit <= 0) continue;
      let inWindow = 0;
      for (let i = t.length - 1; i >= 0 && t[i] > now - windowMs; i--) inWindow++;
      if (inWindow >= limit) wait = Math.max(wait, t[t.length - limit] + windowMs - now);
    }
    return wait;
  }

  record(key: string, now: number): void {
    const t = this.times.get(key) ?? [];
    t.push(now);
    this.times.set(key, t);
  }

  private prune(key: string, now: number): number[] {
    const t = this.times.get(key) ?? [];
    while (t.length && t[0] <= now - 60_000) t.shift();
    return t;
  }
}

/**
 * im-v1/file/create (POST /open-apis/im/v1/files, multipart/form-data): file_type one of opus,
 * mp4, pdf, doc, xls, ppt, stream; a file_name; the file at most 30 MB and not empty
 * ("文件大小不得超过 30 MB，且不允许上传空文件").
 */
export const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];
export const FILE_MAX = 30 * 1024 * 1024;

export function fileUploadRefusal(contentType: string | undefined, body: Buffer): Refusal | null {
  const parts = multipartFields(contentType, body);
  if (!parts) return refuse(400, 234001, 'Invalid request param: the body must be multipart/form-data.');
  const type = parts.get('file_type')?.toString('utf8');
  if (!type || !FILE_TYPES.includes(type)) return refuse(400, 234001, `Invalid request param: file_type ${JSON.stringify(type ?? null)}.`);
  if (!parts.get('file_name')?.length) return refuse(400, 234001, 'Invalid request param: file_name is required.');
  const file = parts.get('file');
  if (!file || file.length === 0) return refuse(400, 234010, "File's size can't be 0.");
  if (file.length > FILE_MAX) return refuse(400, 234006, 'The file size exceed the max value.');
  return null;
}

/** The named parts of a multipart/form-data body, or null when it is not one. */
export function multipartFields(contentType: string | undefined, body: Buffer): Map<string, Buffer> | null {
  const boundary = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  if (!boundary) return null;
  const sep = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const out = new Map<string, Buffer>();
  let at = body.indexOf(sep);
  while (at >= 0) {
    const next = body.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = body.subarray(at + sep.length + 2, next - 2); // after CRLF, before CRLF
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const name = /name="([^"]*)"/.exec(part.subarray(0, split).toString('utf8'));
      if (name) out.set(name[1], part.subarray(split + 4));
    }
    at = next;
  }
  return out;
}
