import type { LarkClientHandle } from './lark-client';
import type { OutboxRow } from '../outbox/outbox-store';
import { classifyLarkFailure, SendResult, TOKEN_INVALID_CODES, Transport } from '../outbox/transport';

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

/**
 * Sends outbox rows through the SDK: im.v1.message.create / reply with the row's uuid as Lark's
 * idempotency key (a second send of the same uuid within an hour returns the first message),
 * and im.v1.message.patch for card updates. A file is uploaded first (im.v1.file.create) and
 * then sent as a file message.
 */
export class LarkTransport implements Transport {
  readonly name = 'lark';

  constructor(
    private readonly lark: LarkClientHandle,
    private readonly timeoutMs = 15_000,
  ) {}

  async send(row: OutboxRow): Promise<SendResult> {
    try {
      let msgType = row.msgType;
      let content = row.content;
      if (row.msgType === 'file') {
        const uploaded = await this.upload(row);
        if (!uploaded.ok) return uploaded;
        msgType = 'file';
        content = JSON.stringify({ file_key: uploaded.fileKey });
      }
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
    if (row.kind === 'patch') {
      if (!row.messageId) throw new MissingField('patch 缺少 message_id');
      return im.patch({ path: { message_id: row.messageId }, data: { content } });
    }
    if (row.kind === 'reply') {
      if (!row.replyTo) throw new MissingField('reply 缺少 reply_to');
      return im.reply({ path: { message_id: row.replyTo }, data: { content, msg_type: msgType, uuid: row.uuid } });
    }
    if (!row.receiveId) throw new MissingField('create 缺少 receive_id');
    return im.create({
      params: { receive_id_type: row.receiveIdType },
      data: { receive_id: row.receiveId, msg_type: msgType, content, uuid: row.uuid },
    });
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

function fromError(err: unknown): Extract<SendResult, { ok: false }> {
  if (err instanceof MissingField) return { ok: false, kind: 'fatal', code: null, msg: err.message };
  if (err instanceof Timeout) return classifyLarkFailure({ network: true, msg: err.message });
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
  // No answer at all (refused, reset, DNS), or the token could not be fetched.
  return classifyLarkFailure({ network: true, msg: String(e?.code ?? e?.message ?? 'network error').slice(0, 200) });
}
