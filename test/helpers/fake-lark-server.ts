import http from 'node:http';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
// `ws` and protobufjs come with @larksuiteoapi/node-sdk (its WSClient uses both); typed in ws-shim.d.ts.
import { WebSocketServer } from 'ws';
import { larkSignature } from '../../src/platform/lark/request-signature';
import { FakeLarkCalendar } from './fake-lark-calendar';
import { fileUploadRefusal, messageBodyRefusal, multipartFields, patchRefusal, receiveIdRefusal, refuse, Refusal, UUID_TTL_MS, Windows } from './fake-lark-rules';

/**
 * A small fake of Lark's open platform on 127.0.0.1, reached by pointing LARK_DOMAIN at url:
 *  - POST /open-apis/auth/v3/tenant_access_token/internal (checks app id and secret);
 *  - GET  /open-apis/bot/v3/info;
 *  - POST /open-apis/im/v1/messages (create), POST …/messages/:id/reply, PATCH …/messages/:id,
 *    POST /open-apis/im/v1/files — each needs a token it issued;
 *  - GET  /open-apis/im/v1/chats/:chat_id/members/is_in_chat (the bot's chats: botChats);
 *  - GET  /open-apis/im/v1/chats/:chat_id (chat.get: chat_mode from chatModes, else 232006) and
 *    POST /open-apis/application/v6/applications/:app_id/visibility/check_white_black_list
 *    (the availability range: visibleUsers);
 *  - as strict as Lark (fake-lark-rules.ts, lark-card-rules.ts, each rule from the documentation):
 *    the budgets per API of 50/s and 1,000/min for the app (HTTP 429, code 99991400, with
 *    x-ogw-ratelimit-reset; legacyRateLimit: HTTP 400 without it) and 5/s per chat for sends and
 *    replies, 5/s per message for patches (HTTP 400, code 230020), over sliding windows;
 *    receive_id_type matching the id (230034); the bot in the group (botChats, 230002); the person
 *    in the app's range (visibleUsers, 230013); a reply or patch of a message it knows; 30 KB per
 *    card or rich-text request and 150 KB per text (230025); cards by the JSON 2.0 rules (230099);
 *    a patch only of a card shared (update_multi) before and after, at most 14 days old (230031);
 *    every refusal is kept in `refusals`;
 *  - the uuid idempotency key: a second send with a uuid it has seen within the hour returns the
 *    first message; after an hour it is a new message (dedupeExpired);
 *  - a clock of its own (clock option, advance()), for the hour and the 14 days;
 *  - injectable failures (any status, code, headers, or a dropped connection);
 *  - calendar.v4 (calendars, events, attendees): `calendar`, fake-lark-calendar.ts;
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
  /** Calls per second per message API (create, reply, patch) for the app, Lark's 50; 0 = unlimited. */
  appRate?: number;
  /** Calls per minute per message API for the app, Lark's 1,000; 0 = unlimited. */
  appPerMinute?: number;
  /** Sends and replies per second to one chat, Lark's 5; 0 = unlimited. */
  chatRate?: number;
  /** Updates per second of one message, Lark's 5; 0 = unlimited. */
  patchRate?: number;
  /** Answer 99991400 as some older APIs do: HTTP 400, no x-ogw-ratelimit-reset. */
  legacyRateLimit?: boolean;
  /** The fake's clock (ms), for uuid expiry and message ages; Date.now by default. */
  clock?: () => number;
  /** Serve the long-connection gateway too. */
  ws?: boolean;
}

/** What the fake keeps of a message it knows: its chat, type, content and when it was sent. */
interface StoredMessage {
  chat_id: string;
  msg_type: string;
  content: string;
  at: number;
}

interface MessageCall {
  api: 'create' | 'reply' | 'patch';
  /** The message a reply answers or a patch updates. */
  target: string | null;
  receiveIdType: string | null;
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
  appPerMinute: number;
  chatRate: number;
  patchRate: number;
  legacyRateLimit: boolean;

  readonly messages: FakeMessage[] = [];
  readonly patches: Array<{ message_id: string; content: string; at: number }> = [];
  readonly files: Array<{ file_key: string; bytes: number; at: number; file_type?: string; file_name?: string }> = [];
  readonly requests: LoggedRequest[] = [];
  /** Sends whose uuid was already used: answered with the first message, nothing new stored. */
  dedupeHits = 0;
  /** Sends whose uuid was used more than an hour before: Lark has forgotten it, a new message. */
  dedupeExpired = 0;
  /** Every message call refused, with Lark's code and message. */
  readonly refusals: Array<{ api: string; code: number; msg: string; at: number }> = [];
  tokenRequests = 0;
  /** Long connections accepted so far (a reconnect adds one). */
  wsConnections = 0;
  /** Answer the client's pings (false: a half-open connection, as seen from the client). */
  answerPings = true;
  rateLimited = { app: 0, chat: 0 };
  /** The chats the bot is in, for is_in_chat (null: every chat). */
  botChats: Set<string> | null = null;
  /** chat.get's chat_mode per chat id; a chat not listed is answered 232006 (invalid chat_id). */
  readonly chatModes = new Map<string, 'p2p' | 'group' | 'topic'>();
  /** The chat ids chat.get was asked about, in order. */
  readonly chatGets: string[] = [];
  /** The users in the app's availability range, for check_white_black_list (null: everyone). */
  visibleUsers: Set<string> | null = null;
  /** The calendar.v4 routes and what they hold. */
  readonly calendar = new FakeLarkCalendar();

  private readonly issued = new Set<string>();
  private readonly byUuid = new Map<string, FakeMessage>();
  private readonly byId = new Map<string, StoredMessage>();
  private readonly windows = new Windows();
  private offsetMs = 0;
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
    this.appRate = opts.appRate ?? 50;
    this.appPerMinute = opts.appPerMinute ?? 1000;
    this.chatRate = opts.chatRate ?? 5;
    this.patchRate = opts.patchRate ?? 5;
    this.legacyRateLimit = opts.legacyRateLimit ?? false;
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

  /**
   * Tells the fake about a message Lark would know: the user's message a reply answers, or (with
   * `card`) a card the bot sent earlier, which a patch may update; `at`: when it was sent.
   */
  seedMessage(messageId: string, chatId: string, o: { card?: Record<string, unknown>; at?: number } = {}): void {
    this.byId.set(messageId, {
      chat_id: chatId,
      msg_type: o.card ? 'interactive' : 'text',
      content: JSON.stringify(o.card ?? { text: '' }),
      at: o.at ?? this.now(),
    });
  }

  /** The fake's time: its clock plus what advance() added. */
  now(): number {
    return (this.opts.clock ?? Date.now)() + this.offsetMs;
  }

  /** Moves the fake's clock on (uuid expiry, message ages), forgetting the rate windows' past. */
  advance(ms: number): void {
    this.offsetMs += ms;
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
      const inChat = method === 'GET' ? /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members\/is_in_chat$/.exec(path) : null;
      if (inChat) {
        const chatId = decodeURIComponent(inChat[1]);
        return send(200, { code: 0, msg: 'success', data: { is_in_chat: this.botChats === null || this.botChats.has(chatId) } });
      }
      const chatGet = method === 'GET' ? /^\/open-apis\/im\/v1\/chats\/([^/]+)$/.exec(path) : null;
      if (chatGet) {
        const chatId = decodeURIComponent(chatGet[1]);
        this.chatGets.push(chatId);
        const mode = this.chatModes.get(chatId);
        if (!mode) return send(400, { code: 232006, msg: 'Your request specifies a chat_id which is invalid.' });
        return send(200, { code: 0, msg: 'success', data: { chat_id: chatId, chat_mode: mode, chat_type: 'private', name: mode === 'p2p' ? '' : '群聊' } });
      }
      const visibility = method === 'POST' ? /^\/open-apis\/application\/v6\/applications\/([^/]+)\/visibility\/check_white_black_list$/.exec(path) : null;
      if (visibility) {
        const ids: unknown = parseJson(body)?.user_ids;
        if (decodeURIComponent(visibility[1]) !== this.appId || !Array.isArray(ids) || ids.length > 100) return send(400, { code: 99992402, msg: 'field validation failed' });
        const list = ids.map((id) => ({ user_id: String(id), in_white_list: this.visibleUsers === null || this.visibleUsers.has(String(id)), in_black_list: false }));
        return send(200, { code: 0, msg: 'success', data: { user_visibility_list: list } });
      }
      if (method === 'POST' && path === '/open-apis/im/v1/files') {
        const refused = fileUploadRefusal(req.headers['content-type'], body);
        if (refused) return send(refused.status, { code: refused.code, msg: refused.msg });
        const file_key = `file_${randomBytes(8).toString('hex')}`;
        const fields = multipartFields(req.headers['content-type'], body);
        this.files.push({ file_key, bytes: body.length, at: Date.now(), file_type: String(fields?.get('file_type') ?? ''), file_name: String(fields?.get('file_name') ?? '') });
        return send(200, { code: 0, msg: 'success', data: { file_key } });
      }

      if (path.startsWith('/open-apis/calendar/v4/')) {
        const inj = this.takeInjected(path);
        if (inj && !inj.afterAccept) {
          if (inj.drop) return void req.socket.destroy();
          return send(inj.status ?? 200, { code: inj.code ?? 0, msg: inj.msg ?? 'injected' }, inj.headers);
        }
        const cal = this.calendar.handle(method, path, u.searchParams, parseJson(body));
        if (cal && inj?.drop) return void req.socket.destroy();
        if (cal && inj) return send(inj.status ?? 500, { code: inj.code ?? 0, msg: inj.msg ?? 'injected after accept' }, inj.headers);
        if (cal) return send(cal.status, cal.payload);
      }

      const create = method === 'POST' && path === '/open-apis/im/v1/messages';
      const reply = method === 'POST' ? /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(path) : null;
      const patch = method === 'PATCH' ? /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(path) : null;
      if (!create && !reply && !patch) return send(404, { code: 404, msg: `no route ${method} ${path}` });
      const call: MessageCall = create
        ? { api: 'create', target: null, receiveIdType: u.searchParams.get('receive_id_type') }
        : { api: reply ? 'reply' : 'patch', target: decodeURIComponent((reply ?? patch)![1]), receiveIdType: null };

      const inj = this.takeInjected(path);
      if (inj?.drop && !inj.afterAccept) {
        this.requests.push({ method, path, status: 0, code: -1, at: Date.now() });
        req.socket.destroy();
        return;
      }
      if (inj && !inj.afterAccept) return send(inj.status ?? 200, { code: inj.code ?? 0, msg: inj.msg ?? 'injected' }, inj.headers);

      const outcome = this.messageCall(call, parseJson(body) ?? {}, body.length);
      if ('refused' in outcome) {
        const r = outcome.refused;
        this.refusals.push({ api: call.api, code: r.code, msg: r.msg, at: this.now() });
        return send(r.status, { code: r.code, msg: r.msg }, r.headers);
      }
      if (inj?.afterAccept) {
        if (inj.drop) return void req.socket.destroy();
        return send(inj.status ?? 500, { code: inj.code ?? 0, msg: inj.msg ?? 'injected after accept' }, inj.headers);
      }
      return send(200, outcome.answer);
    } catch (err) {
      return send(500, { code: 1, msg: `fake server error: ${(err as Error).message}` });
    }
  }

  /** A create, reply or patch, checked as Lark checks it; what it answers. */
  private messageCall(call: MessageCall, b: Record<string, any>, bytes: number): { answer: Record<string, unknown> } | { refused: Refusal } {
    const now = this.now();
    const target = call.target ? this.byId.get(call.target) : undefined;
    const address = this.addressRefusal(call, b, target);
    if (address) return { refused: address };
    const rate = this.rateRefusal(call, call.api === 'create' ? String(b.receive_id) : (target?.chat_id ?? `msg:${call.target}`), now);
    if (rate) return { refused: rate };
    if (call.api === 'patch') {
      const r = patchRefusal(target, b, bytes, now);
      if (r) return { refused: r };
      target!.content = b.content;
      this.patches.push({ message_id: call.target!, content: b.content, at: now });
      return { answer: { code: 0, msg: 'success', data: {} } };
    }
    const r = messageBodyRefusal(b, bytes, new Set(this.files.map((f) => f.file_key)));
    if (r) return { refused: r };
    return { answer: this.store(call, b, target, now) };
  }

  /** Who the message is for: an id of the kind named; a group the bot is in; a person in the app's range; a message that exists. */
  private addressRefusal(call: MessageCall, b: Record<string, any>, target: StoredMessage | undefined): Refusal | null {
    if (call.api === 'create') {
      const r = receiveIdRefusal(call.receiveIdType, b.receive_id);
      if (r) return r;
      if (call.receiveIdType === 'chat_id') return this.chatRefusal(String(b.receive_id));
      if (this.visibleUsers && !this.visibleUsers.has(String(b.receive_id))) return refuse(400, 230013, 'Bot has NO availability to this user.');
      return null;
    }
    if (!target) return refuse(400, 230001, 'Your request contains an invalid request parameter, ext=message not found');
    return call.api === 'reply' ? this.chatRefusal(target.chat_id) : null;
  }

  private chatRefusal(chatId: string): Refusal | null {
    if (this.botChats && !this.botChats.has(chatId) && this.chatModes.get(chatId) !== 'p2p') return refuse(400, 230002, 'The bot can not be outside the group.');
    return null;
  }

  /**
   * The budgets: per API 50/s and 1,000/min for the app (99991400: HTTP 429 with
   * x-ogw-ratelimit-reset, or HTTP 400 without it when legacyRateLimit), then 5/s per chat for
   * sends and replies and 5/s per message for patches (230020).
   */
  private rateRefusal(call: MessageCall, chat: string, now: number): Refusal | null {
    const appWait = this.windows.wait(`app:${call.api}`, [{ limit: this.appRate, windowMs: 1000 }, { limit: this.appPerMinute, windowMs: 60_000 }], now);
    if (appWait > 0) {
      this.rateLimited.app++;
      const headers = this.legacyRateLimit
        ? undefined
        : { 'x-ogw-ratelimit-limit': String(this.appRate), 'x-ogw-ratelimit-reset': String(Math.ceil(appWait / 1000)) };
      return refuse(this.legacyRateLimit ? 400 : 429, 99991400, 'request trigger frequency limit', headers);
    }
    this.windows.record(`app:${call.api}`, now);
    const key = call.api === 'patch' ? `patch:${call.target}` : `chat:${chat}`;
    const limit = call.api === 'patch' ? this.patchRate : this.chatRate;
    if (this.windows.wait(key, [{ limit, windowMs: 1000 }], now) > 0) {
      this.rateLimited.chat++;
      return refuse(400, 230020, 'This operation triggers the frequency limit.');
    }
    this.windows.record(key, now);
    return null;
  }

  /** A new message, or the one sent with this uuid within the hour. */
  private store(call: MessageCall, b: Record<string, any>, target: StoredMessage | undefined, now: number): Record<string, unknown> {
    const uuid = typeof b.uuid === 'string' && b.uuid ? b.uuid : null;
    let m = uuid ? this.byUuid.get(uuid) : undefined;
    if (m && now - m.at <= UUID_TTL_MS) {
      this.dedupeHits++;
    } else {
      if (m) this.dedupeExpired++;
      m = {
        message_id: `om_${randomBytes(12).toString('hex')}`,
        uuid,
        kind: call.api === 'create' ? 'create' : 'reply',
        chat_id: call.api === 'create' ? String(b.receive_id) : target!.chat_id,
        receive_id: call.api === 'create' ? String(b.receive_id) : null,
        receive_id_type: call.receiveIdType,
        reply_to: call.api === 'reply' ? call.target : null,
        msg_type: b.msg_type,
        content: b.content,
        at: now,
      };
      this.messages.push(m);
      this.byId.set(m.message_id, { chat_id: m.chat_id, msg_type: m.msg_type, content: m.content, at: now });
      if (uuid) this.byUuid.set(uuid, m);
    }
    return { code: 0, msg: 'success', data: { message_id: m.message_id, chat_id: m.chat_id, msg_type: m.msg_type } };
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
    this.learnFromEvent(event);
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

  /**
   * Lark knows the messages of the events it delivers: the person's message (which a reply may
   * answer) and the bot's card a callback came from (which a patch may update).
   */
  learnFromEvent(event: Record<string, any>): void {
    const type = event?.header?.event_type;
    const e = event?.event;
    if (type === 'im.message.receive_v1' && e?.message?.message_id && !this.byId.has(e.message.message_id)) {
      this.seedMessage(e.message.message_id, e.message.chat_id);
    }
    const ctx = e?.context;
    if (type === 'card.action.trigger' && ctx?.open_message_id && !this.byId.has(ctx.open_message_id)) {
      this.seedMessage(ctx.open_message_id, ctx.open_chat_id, { card: { schema: '2.0', config: { update_multi: true }, body: { elements: [] } } });
    }
  }

  /** Closes every long connection from the server side (the client should reconnect). */
  dropWsConnections(): void {
    for (const s of this.sockets) s.terminate();
  }
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
 * given) and signed: X-Lark-Signature = sha256(timestamp + nonce + key + body). Lark sends
 * url_verification unsigned (encrypted when there is a key), so it is never signed here unless
 * `sign: true` asks for it.
 */
export function larkRequest(
  payload: Record<string, unknown>,
  o: { encryptKey?: string; timestamp?: number; nonce?: string; sign?: boolean } = {},
): { body: string; headers: Record<string, string> } {
  const body = o.encryptKey ? JSON.stringify({ encrypt: encryptLarkPayload(JSON.stringify(payload), o.encryptKey) }) : JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const sign = o.sign ?? payload.type !== 'url_verification';
  if (o.encryptKey && sign) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = o.nonce ?? randomBytes(8).toString('hex');
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = larkSignature(timestamp, nonce, o.encryptKey, body);
  }
  return { body, headers };
}
