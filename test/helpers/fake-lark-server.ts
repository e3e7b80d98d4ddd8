import http from 'node:http';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
// `ws` and protobufjs come with @larksuiteoapi/node-sdk (its WSClient uses both); typed in ws-shim.d.ts.
import { WebSocketServer } from 'ws';
import { larkSignature } from '../../src/platform/lark/request-signature';

/**
 * A small fake of Lark's open platform on 127.0.0.1, reached by pointing LARK_DOMAIN at url:
 *  - POST /open-apis/auth/v3/tenant_access_token/internal (checks app id and secret);
 *  - GET  /open-apis/bot/v3/info;
 *  - POST /open-apis/im/v1/messages (create), POST …/messages/:id/reply, PATCH …/messages/:id,
 *    POST /open-apis/im/v1/files — each needs a token it issued;
 *  - budgets like Lark's: per app (HTTP 429, code 99991400) and per chat (HTTP 400, code 230020),
 *    counted over any sliding second, with x-ogw-ratelimit-reset;
 *  - the uuid idempotency key: a second send with a uuid it has seen returns the first message;
 *  - injectable failures (any status, code, headers, or a dropped connection);
 *  - optionally the long-connection gateway: POST /callback/ws/endpoint and a WebSocket speaking
 *    the SDK's protobuf frames, so the real WSClient can be driven (pushEvent).
 * Used by the tests and by bench/outbox-drain.ts.
 */

export interface FakeMessage {
  message_id: string;
  uuid: string | null;
  kind: 'create' | 'reply';
  chat_id: string;
  receive_id: string | null;
  receive_id_type: string | null;
  reply_to: string | null;
  msg_type: string;
  content: string;
  at: number;
}

export interface InjectedAnswer {
  status?: number;
  code?: number;
  msg?: string;
  headers?: Record<string, string>;
  /** Destroy the socket without answering (a network error). */
  drop?: boolean;
  /** Accept the message first (it is stored), then answer like this: a lost answer. */
  afterAccept?: boolean;
}

export interface FakeLarkOptions {
  appId?: string;
  appSecret?: string;
  botOpenId?: string;
  /** Messages per second per app over message endpoints; 0 = unlimited. */
  appRate?: number;
  /** Messages per second per chat; 0 = unlimited. */
  chatRate?: number;
  /** Serve the long-connection gateway too. */
  ws?: boolean;
}

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  code: number;
  at: number;
}

const FRAME_ROOT = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Frame: {
          fields: {
            SeqID: { type: 'uint64', id: 1 },
            LogID: { type: 'uint64', id: 2 },
            service: { type: 'int32', id: 3 },
            method: { type: 'int32', id: 4 },
            headers: { rule: 'repeated', type: 'Header', id: 5 },
            payloadEncoding: { type: 'string', id: 6 },
            payloadType: { type: 'string', id: 7 },
            payload: { type: 'bytes', id: 8 },
            LogIDNew: { type: 'string', id: 9 },
          },
        },
      },
    },
  },
});
const Frame = FRAME_ROOT.lookupType('pbbp2.Frame');

export class FakeLarkServer {
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  url = '';
  appRate: number;
  chatRate: number;

  readonly messages: FakeMessage[] = [];
  readonly patches: Array<{ message_id: string; content: string; at: number }> = [];
  readonly files: Array<{ file_key: string; bytes: number; at: number }> = [];
  readonly requests: LoggedRequest[] = [];
  /** Sends whose uuid was already used: answered with the first message, nothing new stored. */
  dedupeHits = 0;
  tokenRequests = 0;
  /** Long connections accepted so far (a reconnect adds one). */
  wsConnections = 0;
  /** Answer the client's pings (false: a half-open connection, as seen from the client). */
  answerPings = true;
  rateLimited = { app: 0, chat: 0 };

  private readonly issued = new Set<string>();
  private readonly byUuid = new Map<string, FakeMessage>();
  private readonly byId = new Map<string, FakeMessage | { chat_id: string }>();
  private readonly appWindow: number[] = [];
  private readonly chatWindows = new Map<string, number[]>();
  private injected: Array<{ answer: InjectedAnswer; filter?: (path: string) => boolean }> = [];
  private readonly server: http.Server;
  private wss: any = null;
  private sockets = new Set<any>();
  /** Sockets whose client has pinged: its handlers are in place, so pushed events are read. */
  private readonly pinged = new Set<any>();
  private seq = 0;
  private readonly pendingWs = new Map<string, (payload: any) => void>();

  constructor(private readonly opts: FakeLarkOptions = {}) {
    this.appId = opts.appId ?? 'cli_a1b2c3d4e5f60718';
    this.appSecret = opts.appSecret ?? 'fake-secret';
    this.botOpenId = opts.botOpenId ?? 'ou_bot000000000000000000000000000';
    this.appRate = opts.appRate ?? 0;
    this.chatRate = opts.chatRate ?? 0;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (this.opts.ws) this.startWs();
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss?.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The next `count` message calls (matching `filter`, a path test) get this answer. */
  inject(answer: InjectedAnswer, count = 1, filter?: (path: string) => boolean): void {
    for (let i = 0; i < count; i++) this.injected.push({ answer, filter });
  }

  /** Tells the fake about a message Lark would know (e.g. the user's message a reply answers). */
  seedMessage(messageId: string, chatId: string): void {
    this.byId.set(messageId, { chat_id: chatId });
  }

  /** Forgets issued tokens, as when they expire: the next call gets 99991663. */
  revokeTokens(): void {
    this.issued.clear();
  }

  messagesTo(chatId: string): FakeMessage[] {
    return this.messages.filter((m) => m.chat_id === chatId);
  }

  textOf(m: FakeMessage): string {
    try {
      const c = JSON.parse(m.content);
      return typeof c.text === 'string' ? c.text : JSON.stringify(c);
    } catch {
      return m.content;
    }
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    const method = req.method ?? 'GET';
    const send = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
      this.requests.push({ method, path, status, code: Number(payload.code ?? 0), at: Date.now() });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    try {
      if (method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
        this.tokenRequests++;
        const b = parseJson(body);
        if (b?.app_id !== this.appId || b?.app_secret !== this.appSecret) return send(200, { code: 10014, msg: 'app secret invalid' });
        const token = `t-${randomBytes(8).toString('hex')}`;
        this.issued.add(token);
        return send(200, { code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
      }
      if (method === 'POST' && path === '/callback/ws/endpoint') return this.wsEndpoint(body, send);

      const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!this.issued.has(auth)) return send(400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });

      if (method === 'GET' && path === '/open-apis/bot/v3/info') {
        return send(200, { code: 0, msg: 'ok', bot: { open_id: this.botOpenId, app_name: '信访助手（测试）', activate_status: 2 } });
      }
      if (method === 'POST' && path === '/open-apis/im/v1/files') {
        const file_key = `file_${randomBytes(8).toString('hex')}`;
        this.files.push({ file_key, bytes: body.length, at: Date.now() });
        return send(200, { code: 0, msg: 'success', data: { file_key } });
      }

      const create = method === 'POST' && path === '/open-apis/im/v1/messages';
      const reply = method === 'POST' ? /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path) : null;
      const patch = method === 'PATCH' ? /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path) : null;
      if (!create && !reply && !patch) return send(404, { code: 404, msg: `no route ${method} ${path}` });

      const b = parseJson(body) ?? {};
      const chat = create
        ? String(b.receive_id ?? '')
        : reply
          ? (this.byId.get(reply[1])?.chat_id ?? `msg:${reply[1]}`)
          : `msg:${patch![1]}`;

      const inj = this.takeInjected(path);
      if (inj?.drop && !inj.afterAccept) {
        this.requests.push({ method, path, status: 0, code: -1, at: Date.now() });
        req.socket.destroy();
        return;
      }
      if (inj && !inj.afterAccept) return send(inj.status ?? 200, { code: inj.code ?? 0, msg: inj.msg ?? 'injected' }, inj.headers);

      const now = Date.now();
      if (this.appRate > 0) {
        const wait = windowWait(this.appWindow, this.appRate, now);
        if (wait > 0) {
          this.rateLimited.app++;
          return send(429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': String(this.appRate), 'x-ogw-ratelimit-reset': String(Math.ceil(wait / 1000)) });
        }
      }
      if (this.chatRate > 0) {
        const w = this.chatWindows.get(chat) ?? [];
        this.chatWindows.set(chat, w);
        const wait = windowWait(w, this.chatRate, now);
        if (wait > 0) {
          this.rateLimited.chat++;
          return send(400, { code: 230020, msg: 'This operation triggers the frequency limit.' }, { 'x-ogw-ratelimit-reset': String(Math.ceil(wait / 1000)) });
        }
        w.push(now);
      }
      if (this.appRate > 0) this.appWindow.push(now);

      let answer: Record<string, unknown>;
      if (patch) {
        if (typeof b.content !== 'string') return send(400, { code: 230001, msg: 'invalid content' });
        this.patches.push({ message_id: patch[1], content: b.content, at: now });
        answer = { code: 0, msg: 'success', data: {} };
      } else {
        if (typeof b.content !== 'string' || typeof b.msg_type !== 'string') return send(400, { code: 230001, msg: 'invalid request parameter' });
        const uuid = typeof b.uuid === 'string' && b.uuid ? b.uuid : null;
        if (uuid && uuid.length > 50) return send(400, { code: 230001, msg: 'uuid too long' });
        let m = uuid ? this.byUuid.get(uuid) : undefined;
        if (m) {
          this.dedupeHits++;
        } else {
          m = {
            message_id: `om_${randomBytes(12).toString('hex')}`,
            uuid,
            kind: create ? 'create' : 'reply',
            chat_id: chat,
            receive_id: create ? String(b.receive_id) : null,
            receive_id_type: create ? u.searchParams.get('receive_id_type') : null,
            reply_to: reply ? reply[1] : null,
            msg_type: b.msg_type,
            content: b.content,
            at: now,
          };
          this.messages.push(m);
          this.byId.set(m.message_id, m);
          if (uuid) this.byUuid.set(uuid, m);
        }
        answer = { code: 0, msg: 'success', data: { message_id: m.message_id, chat_id: m.chat_id, msg_type: m.msg_type } };
      }
      if (inj?.afterAccept) {
        if (inj.drop) return void req.socket.destroy();
        return send(inj.status ?? 500, { code: inj.code ?? 0, msg: inj.msg ?? 'injected after accept' }, inj.headers);
      }
      return send(200, answer);
    } catch (err) {
      return send(500, { code: 1, msg: `fake server error: ${(err as Error).message}` });
    }
  }

  private takeInjected(path: string): InjectedAnswer | null {
    const i = this.injected.findIndex((x) => !x.filter || x.filter(path));
    if (i < 0) return null;
    return this.injected.splice(i, 1)[0].answer;
  }

  // ---------------------------------------------------------------- long connection

  private startWs(): void {
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!String(req.url).startsWith('/ws')) return socket.destroy();
      this.wss.handleUpgrade(req, socket, head, (ws: any) => {
        this.sockets.add(ws);
        this.wsConnections++;
        ws.on('close', () => {
          this.sockets.delete(ws);
          this.pinged.delete(ws);
        });
        ws.on('message', (data: Buffer) => this.onWsFrame(ws, data));
      });
    });
  }

  private wsEndpoint(body: Buffer, send: (s: number, p: Record<string, unknown>) => void): void {
    const b = parseJson(body);
    if (b?.AppID !== this.appId || b?.AppSecret !== this.appSecret) return send(200, { code: 514, msg: 'auth failed' });
    const wsUrl = `${this.url.replace(/^http/, 'ws')}/ws?device_id=dev1&service_id=7`;
    send(200, { code: 0, msg: 'ok', data: { URL: wsUrl, ClientConfig: { PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0 } } });
  }

  private onWsFrame(ws: any, data: Buffer): void {
    const f: any = Frame.toObject(Frame.decode(data), { longs: Number, bytes: Buffer });
    const headers = Object.fromEntries((f.headers ?? []).map((h: any) => [h.key, h.value]));
    if (f.method === 0 && headers.type === 'ping') {
      this.pinged.add(ws);
      if (!this.answerPings) return;
      const pong = Frame.encode(
        Frame.fromObject({
          SeqID: 0, LogID: 0, service: f.service, method: 0,
          headers: [{ key: 'type', value: 'pong' }],
          payload: Buffer.from(JSON.stringify({ PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0 })),
        }),
      ).finish();
      ws.send(pong);
      return;
    }
    if (f.method === 1 && headers.message_id && this.pendingWs.has(headers.message_id)) {
      const resolve = this.pendingWs.get(headers.message_id)!;
      this.pendingWs.delete(headers.message_id);
      resolve(parseJson(Buffer.from(f.payload ?? [])) ?? {});
    }
  }

  /** How many long connections are open. */
  get wsClients(): number {
    return this.sockets.size;
  }

  /** How many open long connections have pinged (the client is listening on them). */
  get wsReadyClients(): number {
    return [...this.sockets].filter((s) => this.pinged.has(s)).length;
  }

  /**
   * Pushes an event (the plain JSON Lark would send) over every open long connection, as a data
   * frame of type "event", and resolves with the client's answer: { code, data? } where data is
   * the handler's return value (decoded from the base64 the SDK sends).
   */
  async pushEvent(event: Record<string, unknown>, timeoutMs = 5000): Promise<{ code: number; data?: any }> {
    const ws = [...this.sockets].find((s) => this.pinged.has(s)) ?? [...this.sockets][0];
    if (!ws) throw new Error('no long connection open');
    const messageId = `msg_${++this.seq}`;
    const frame = Frame.encode(
      Frame.fromObject({
        SeqID: this.seq, LogID: this.seq, service: 7, method: 1,
        headers: [
          { key: 'type', value: 'event' },
          { key: 'message_id', value: messageId },
          { key: 'sum', value: '1' },
          { key: 'seq', value: '0' },
          { key: 'trace_id', value: `trace_${this.seq}` },
        ],
        payload: Buffer.from(JSON.stringify(event)),
      }),
    ).finish();
    const answer = new Promise<any>((resolve, reject) => {
      this.pendingWs.set(messageId, resolve);
      setTimeout(() => reject(new Error('no answer on the long connection')), timeoutMs).unref();
    });
    ws.send(frame);
    const a = await answer;
    return { code: a.code, data: a.data ? JSON.parse(Buffer.from(a.data, 'base64').toString('utf8')) : undefined };
  }

  /** Closes every long connection from the server side (the client should reconnect). */
  dropWsConnections(): void {
    for (const s of this.sockets) s.terminate();
  }
}

/** Sliding one-second window over accepted requests: ms until one more fits (0 = now). */
function windowWait(times: number[], limit: number, now: number): number {
  while (times.length && times[0] <= now - 1000) times.shift();
  if (times.length < limit) return 0;
  return times[times.length - limit] + 1000 - now;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(b: Buffer): any {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return null;
  }
}

export async function startFakeLark(opts: FakeLarkOptions = {}): Promise<FakeLarkServer> {
  return new FakeLarkServer(opts).start();
}

// ---------------------------------------------------------------- events as Lark sends them

let eventSeq = 0;
const uid = (p: string) => `${p}${Date.now().toString(36)}${(++eventSeq).toString(36)}${randomBytes(4).toString('hex')}`;

export interface EventHeaderOptions {
  eventId?: string;
  token?: string;
  appId?: string;
}

function header(type: string, o: EventHeaderOptions) {
  return {
    event_id: o.eventId ?? uid('ev_'),
    token: o.token ?? 'verify-token',
    create_time: String(Date.now()),
    event_type: type,
    tenant_key: 'tenant_fake',
    app_id: o.appId ?? 'cli_a1b2c3d4e5f60718',
  };
}

/** im.message.receive_v1 (schema 2.0). In a group, `mentionBot` puts “@信访助手” before the text. */
export function larkMessageEvent(
  o: EventHeaderOptions & {
    openId: string;
    text?: string;
    chatId?: string;
    chatType?: 'p2p' | 'group';
    messageId?: string;
    mentionBot?: string | false;
    messageType?: string;
    content?: string;
    senderType?: string;
  },
): Record<string, any> {
  const chatType = o.chatType ?? 'p2p';
  const mentions = o.mentionBot
    ? [{ key: '@_user_1', id: { open_id: o.mentionBot, union_id: 'on_bot', user_id: '' }, name: '信访助手', tenant_key: 'tenant_fake', mentioned_type: 'bot' }]
    : [];
  const text = o.mentionBot ? `@_user_1 ${o.text ?? ''}` : (o.text ?? '');
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o),
    event: {
      sender: { sender_id: { open_id: o.openId, union_id: `on_${o.openId}`, user_id: '' }, sender_type: o.senderType ?? 'user', tenant_key: 'tenant_fake' },
      message: {
        message_id: o.messageId ?? uid('om_'),
        create_time: String(Date.now()),
        chat_id: o.chatId ?? `oc_p2p_${o.openId}`,
        chat_type: chatType,
        message_type: o.messageType ?? 'text',
        content: o.content ?? JSON.stringify({ text }),
        mentions,
      },
    },
  };
}

/** card.action.trigger (schema 2.0): a button click or form submit. */
export function larkCardActionEvent(
  o: EventHeaderOptions & { openId: string; value: Record<string, unknown>; formValue?: Record<string, unknown>; chatId?: string; messageId?: string; cardToken?: string },
): Record<string, any> {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o),
    event: {
      operator: { tenant_key: 'tenant_fake', open_id: o.openId, union_id: `on_${o.openId}`, user_id: '' },
      token: o.cardToken ?? uid('c-'),
      action: { tag: 'button', value: o.value, ...(o.formValue ? { form_value: o.formValue, tag: 'form' } : {}) },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? uid('om_card_'), open_chat_id: o.chatId ?? `oc_p2p_${o.openId}` },
    },
  };
}

/** application.bot.menu_v6: a bot menu item clicked. */
export function larkMenuEvent(o: EventHeaderOptions & { openId: string; eventKey: string }): Record<string, any> {
  return {
    schema: '2.0',
    header: header('application.bot.menu_v6', o),
    event: { operator: { operator_name: '测试用户', operator_id: { open_id: o.openId, union_id: `on_${o.openId}`, user_id: '' } }, event_key: o.eventKey, timestamp: Date.now() },
  };
}

/**
 * Encrypts as Lark does for its pushed events (the reverse of decryptLarkPayload): base64 of IV +
 * AES-256-CBC ciphertext, key = sha256(encrypt key). For tests, benchmarks and this fake server.
 */
export function encryptLarkPayload(plain: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/**
 * A POST /lark/events request as Lark makes it: the JSON encrypted with the encrypt key (when
 * given) and signed: X-Lark-Signature = sha256(timestamp + nonce + key + body).
 */
export function larkRequest(
  payload: Record<string, unknown>,
  o: { encryptKey?: string; timestamp?: number; nonce?: string; sign?: boolean } = {},
): { body: string; headers: Record<string, string> } {
  const body = o.encryptKey ? JSON.stringify({ encrypt: encryptLarkPayload(JSON.stringify(payload), o.encryptKey) }) : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.encryptKey && o.sign !== false) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = larkSignature(timestamp, nonce, o.encryptKey, body);
  }
  return { body, headers };
}
