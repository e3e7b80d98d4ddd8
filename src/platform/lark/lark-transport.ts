import type { LarkClientHandle } from './lark-client';
import type { OutboxRow } from '../outbox/outbox-store';
import { classifyLarkFailure, SendResult, TOKEN_INVALID_CODES, Transport } from '../outbox/transport';
import { resendNeedsConfirmation } from './uuid-window';

/** A file row's content, as the channels queue it. */
export interface FileContent {
  name: string;
  mime: string;
  base64: string;
}

/** Lark's file_type for an upload, from the file name. */
export function larkFileType(name: string): 'doc' | 'pdf' | 'xls' | 'ppt' | 'stream' {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  if (ext === 'doc' || ext === 'docx') return 'doc';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'xls' || ext === 'xlsx') return 'xls';
  if (ext === 'ppt' || ext === 'pptx') return 'ppt';
  return 'stream';
}

class Timeout extends Error {}

/** Lark's limits on a message request's body: 30 KB for a card or rich text, 150 KB for text (im.v1.message.create, reply, patch). */
export const LARK_TEXT_BODY_MAX = 150 * 1024;
export const LARK_CARD_BODY_MAX = 30 * 1024;

export interface LarkTransportOptions {
  /** How long a call may take before it counts as a network error. */
  timeoutMs?: number;
  /** The largest card or rich-text request body (LARK_CARD_MAX_BYTES, Lark's 30 KB). */
  cardMaxBytes?: number;
  clock?: () => number;
}

/**
 * Sends outbox rows through the SDK: im.v1.message.create / reply with the row's uuid as Lark's
 * idempotency key (a second send of the same uuid within an hour returns the first message),
 * and im.v1.message.patch for card updates. A file is uploaded first (im.v1.file.create) and
 * then sent as a file message. Before a call it refuses, without sending, what Lark would refuse
 * or what could come out twice: a request body over Lark's limit, measured as it goes out (the
 * card is an escaped JSON string inside the body, so its quotes and newlines count twice); and a
 * retry past Lark's uuid hour (uuid-window.ts), which waits for a person to confirm it.
 */
export class LarkTransport implements Transport {
  readonly name = 'lark';
  private readonly timeoutMs: number;
  private readonly cardMaxBytes: number;
  private readonly clock: () => number;

  constructor(
    private readonly lark: LarkClientHandle,
    o: LarkTransportOptions = {},
  ) {
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.cardMaxBytes = o.cardMaxBytes ?? LARK_CARD_BODY_MAX;
    this.clock = o.clock ?? Date.now;
  }

  async send(row: OutboxRow): Promise<SendResult> {
    const held = row.kind === 'patch' ? null : resendNeedsConfirmation(row, this.clock());
    if (held) return { ok: false, kind: 'fatal', code: null, msg: held };
    try {
      let msgType = row.msgType;
      let content = row.content;
      if (row.msgType === 'file') {
        const uploaded = await this.upload(row);
        if (!uploaded.ok) return uploaded;
        msgType = 'file';
        content = JSON.stringify({ file_key: uploaded.fileKey });
      }
      const tooBig = this.sizeRefusal(row, msgType, content);
      if (tooBig) return tooBig;
      const res = await this.withTimeout(this.call(row, msgType, content));
      if (!res || typeof res.code !== 'number') return { ok: false, kind: 'retry', code: null, msg: 'Lark 的应答无法识别' };
      if (res.code !== 0) return this.failure(classifyLarkFailure({ status: 200, code: res.code, msg: res.msg }));
      return { ok: true, messageId: res.data?.message_id ?? row.messageId ?? null };
    } catch (err) {
      return this.failure(fromError(err));
    }
  }

  private call(row: OutboxRow, msgType: string, content: string): Promise<any> {
    const im = this.lark.client.im.v1.message;
    const data = requestBody(row, msgType, content);
    if (row.kind === 'patch') {
      if (!row.messageId) throw new MissingField('patch 缺少 message_id');
      return im.patch({ path: { message_id: row.messageId }, data: data as { content: string } });
    }
    if (row.kind === 'reply') {
      if (!row.replyTo) throw new MissingField('reply 缺少 reply_to');
      return im.reply({ path: { message_id: row.replyTo }, data: data as { content: string; msg_type: string; uuid: string } });
    }
    if (!row.receiveId) throw new MissingField('create 缺少 receive_id');
    return im.create({ params: { receive_id_type: row.receiveIdType }, data: data as { receive_id: string; msg_type: string; content: string; uuid: string } });
  }

  /** Lark's 230025, answered here: the body as the SDK will send it, over the limit of its message type. */
  private sizeRefusal(row: OutboxRow, msgType: string, content: string): Extract<SendResult, { ok: false }> | null {
    const max = msgType === 'text' ? LARK_TEXT_BODY_MAX : msgType === 'interactive' || msgType === 'post' ? this.cardMaxBytes : null;
    if (max === null) return null;
    const bytes = Buffer.byteLength(JSON.stringify(requestBody(row, msgType, content)), 'utf8');
    if (bytes <= max) return null;
    const what = msgType === 'text' ? '文本消息' : '卡片';
    return {
      ok: false,
      kind: 'fatal',
      code: 230025,
      msg: `${what}的请求体 ${(bytes / 1024).toFixed(1)} KB（卡片内容按转义后的字符串计），超过飞书 ${Math.round(max / 1024)} KB 的上限，未发送`,
    };
  }

  private async upload(row: OutboxRow): Promise<{ ok: true; fileKey: string } | Extract<SendResult, { ok: false }>> {
    let file: FileContent;
    try {
      file = JSON.parse(row.content);
      if (typeof file.name !== 'string' || typeof file.base64 !== 'string') throw new Error('bad');
    } catch {
      return { ok: false, kind: 'fatal', code: null, msg: '文件消息的内容无法识别' };
    }
    const bytes = Buffer.from(file.base64, 'base64');
    if (!bytes.length) return { ok: false, kind: 'fatal', code: null, msg: '文件为空' };
    if (bytes.length > 30 * 1024 * 1024) return { ok: false, kind: 'fatal', code: null, msg: '文件超过 30 MB，飞书不接受' };
    const res = await this.withTimeout(
      this.lark.client.im.v1.file.create({ data: { file_type: larkFileType(file.name), file_name: file.name, file: bytes } }),
    );
    const key = (res as any)?.file_key;
    // The SDK hands back only `data`, so a refusal arrives as null without Lark's code.
    if (typeof key !== 'string' || !key) return { ok: false, kind: 'retry', code: null, msg: '文件上传失败' };
    return { ok: true, fileKey: key };
  }

  private failure(f: Extract<SendResult, { ok: false }>): Extract<SendResult, { ok: false }> {
    if (f.code !== null && TOKEN_INVALID_CODES.has(f.code)) this.lark.resetToken();
    return f;
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([p, t]).finally(() => clearTimeout(timer));
  }
}

class MissingField extends Error {}

/** The JSON body of the call, exactly as the SDK sends it (its size is what Lark limits). */
function requestBody(row: OutboxRow, msgType: string, content: string): Record<string, string> {
  if (row.kind === 'patch') return { content };
  if (row.kind === 'reply') return { content, msg_type: msgType, uuid: row.uuid };
  return { receive_id: row.receiveId ?? '', msg_type: msgType, content, uuid: row.uuid };
}

/** Network errors raised before a request could reach Lark: nothing can have been made. */
const NEVER_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

function fromError(err: unknown): Extract<SendResult, { ok: false }> {
  if (err instanceof MissingField) return { ok: false, kind: 'fatal', code: null, msg: err.message };
  if (err instanceof Timeout) return classifyLarkFailure({ network: true, unanswered: true, msg: err.message });
  const e = err as any;
  const res = e?.response;
  if (res && typeof res.status === 'number') {
    const body = res.data && typeof res.data === 'object' ? res.data : {};
    return classifyLarkFailure({
      status: res.status,
      code: typeof body.code === 'number' ? body.code : null,
      msg: typeof body.msg === 'string' ? body.msg : `HTTP ${res.status}`,
      resetHeader: res.headers?.['x-ogw-ratelimit-reset'] ?? null,
    });
  }
  // No answer at all: refused or an unknown host never reached Lark; a reset or a timeout may have.
  const code = String(e?.code ?? '');
  return classifyLarkFailure({
    network: true, unanswered: !NEVER_REACHED.has(code), msg: String(e?.code ?? e?.message ?? 'network error').slice(0, 200),
  });
}
