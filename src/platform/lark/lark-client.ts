import * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../settings/config';
import { ConfigError } from '../settings/config';
import type { Logger } from '../logging/logger';
import type { ChatKind } from './chat-kind-store';

/** LARK_DOMAIN: `feishu`, `lark`, or a URL (a fake server in tests and benchmarks). */
export function larkDomain(value: string | undefined): lark.Domain | string {
  const v = (value ?? 'feishu').trim();
  if (v === '' || v.toLowerCase() === 'feishu') return lark.Domain.Feishu;
  if (v.toLowerCase() === 'lark') return lark.Domain.Lark;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new ConfigError(`配置有误：LARK_DOMAIN 应为 feishu、lark 或一个网址，而不是“${v}”`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`配置有误：LARK_DOMAIN 的网址必须以 http:// 或 https:// 开头`);
  }
  return v.replace(/\/+$/, '');
}

/** The base URL the SDK talks to, for log lines. */
export function larkBaseUrl(value: string | undefined): string {
  const d = larkDomain(value);
  if (d === lark.Domain.Feishu) return 'https://open.feishu.cn';
  if (d === lark.Domain.Lark) return 'https://open.larksuite.com';
  return d as string;
}

/**
 * The SDK logs whole request configs on errors (message content included) and, at debug level,
 * whole events. This adapter keeps only what is safe: plain strings and, of an error, its
 * message, URL path, HTTP status and Lark's code/msg. The SDK runs at info at most.
 */
export function sdkLogger(logger: Logger): lark.Logger {
  const log = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (...args: unknown[]) => {
    const parts = (args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args).flatMap(safePart);
    const msg = parts.filter((p): p is string => typeof p === 'string').join(' ');
    const details = parts.filter((p) => typeof p === 'object');
    logger[level]({ component: 'lark-sdk', ...(details.length ? { details } : {}) }, msg || 'lark sdk');
  };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug'), trace: log('trace') };
}

function safePart(p: unknown): unknown[] {
  if (typeof p === 'string') return [p.replace(/data: [\s\S]*$/, 'data: [已屏蔽]')];
  if (typeof p === 'number' || typeof p === 'boolean') return [String(p)];
  if (Array.isArray(p)) return p.flatMap(safePart);
  if (p && typeof p === 'object') {
    const o = p as any;
    const out: Record<string, unknown> = {};
    if (typeof o.message === 'string') out.message = o.message;
    const url = o.config?.url ?? o.url;
    if (typeof url === 'string') out.path = url.replace(/^https?:\/\/[^/]+/, '').replace(/\?.*$/, '');
    const status = o.response?.status ?? o.status;
    if (typeof status === 'number') out.status = status;
    const body = o.response?.data ?? o;
    if (typeof body?.code === 'number') out.code = body.code;
    if (typeof body?.msg === 'string') out.msg = body.msg.slice(0, 200);
    return Object.keys(out).length ? [out] : [];
  }
  return [];
}

function sdkLevel(config: Pick<Config, 'LOG_LEVEL'>): lark.LoggerLevel {
  switch (config.LOG_LEVEL) {
    case 'silent':
    case 'fatal':
    case 'error':
      return lark.LoggerLevel.error;
    case 'warn':
      return lark.LoggerLevel.warn;
    default:
      return lark.LoggerLevel.info;
  }
}

/** A token cache of this client's own, so two apps (or two fake servers in a test) never share tokens. */
type CacheKey = Parameters<lark.Cache['get']>[0];

class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expire?: number }>();
  private key(key: CacheKey, namespace?: string): string {
    return `${namespace ?? ''}\u0000${String(key)}`;
  }
  async set(key: CacheKey, value: unknown, expire?: number, options?: { namespace?: string }): Promise<boolean> {
    this.values.set(this.key(key, options?.namespace), { value, expire });
    return true;
  }
  async get(key: CacheKey, options?: { namespace?: string }): Promise<any> {
    const v = this.values.get(this.key(key, options?.namespace));
    if (!v) return undefined;
    if (v.expire !== undefined && v.expire < Date.now()) {
      this.values.delete(this.key(key, options?.namespace));
      return undefined;
    }
    return v.value;
  }
  /** Forgets the tenant token, after Lark said it is no longer valid. */
  clear(): void {
    this.values.clear();
  }
}

export interface LarkClientHandle {
  client: lark.Client;
  /** Drops the cached tenant_access_token so the next call fetches a new one. */
  resetToken: () => void;
}

/** The SDK client for the configured app. */
export function createLarkClient(config: Config, logger: Logger): LarkClientHandle {
  if (!config.LARK_APP_ID || !config.LARK_APP_SECRET) throw new ConfigError('配置有误：没有设置 LARK_APP_ID / LARK_APP_SECRET');
  const cache = new TokenCache();
  const client = new lark.Client({
    appId: config.LARK_APP_ID,
    appSecret: config.LARK_APP_SECRET,
    appType: lark.AppType.SelfBuild,
    domain: larkDomain(config.LARK_DOMAIN),
    cache,
    logger: sdkLogger(logger),
    loggerLevel: sdkLevel(config),
  });
  return { client, resetToken: () => cache.clear() };
}

/** The SDK's log level for the settings, for the WSClient and the EventDispatcher too. */
export { sdkLevel };

/** The bot's own open_id (GET /open-apis/bot/v3/info), or null when Lark does not say. */
export async function fetchBotOpenId(client: lark.Client): Promise<string | null> {
  const res: any = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
  const openId = res?.bot?.open_id ?? res?.data?.bot?.open_id;
  return typeof openId === 'string' && openId ? openId : null;
}

/**
 * What Lark says a chat is (GET /open-apis/im/v1/chats/:chat_id, needs im:chat:readonly):
 * chat_mode 'p2p' is the bot's private chat with one person; 'group' and 'topic' are groups.
 * Null when Lark does not say (an error code, no chat_mode). Note that chat_type 'private' in the
 * same answer means a private *group* (not listed in search), never a private chat.
 */
export async function fetchChatKind(client: lark.Client, chatId: string): Promise<ChatKind | null> {
  const res: any = await client.im.v1.chat.get({ path: { chat_id: chatId } });
  if (typeof res?.code === 'number' && res.code !== 0) return null;
  const mode = res?.data?.chat_mode;
  if (mode === 'p2p') return 'p2p';
  if (mode === 'group' || mode === 'topic') return 'group';
  return null;
}
