import type { ChatType } from '../chat/messages';
import type { LarkInbound, ReplyTarget } from '../inbound/inbound-event';

/**
 * Turns a Lark event, as the SDK's EventDispatcher hands it to a handler (header and event
 * fields flattened into one object), into what the router takes. Pure: no I/O.
 */

export type { LarkInbound, ReplyTarget } from '../inbound/inbound-event';

export const MESSAGE_EVENT = 'im.message.receive_v1';
export const CARD_ACTION_EVENT = 'card.action.trigger';
export const MENU_EVENT = 'application.bot.menu_v6';
/** A person opened their private chat with the bot: Lark names the chat, so it is known to be private. */
export const P2P_ENTERED_EVENT = 'im.chat.access_event.bot_p2p_chat_entered_v1';

/**
 * Bot menu items (event_key) and the command each one types for the person. An event_key that is
 * itself a command (e.g. “登记”) is used as it is.
 */
export const MENU_COMMANDS: Record<string, string> = {
  register: '登记',
  intake: '登记',
  todo: '我的待办',
  my_todo: '我的待办',
  today: '今日接访',
  today_reception: '今日接访',
  this_week: '本周接访',
  week_reception: '本周接访',
  next_week: '下周接访',
  my_reception: '我的接访',
  overdue: '逾期',
  query: '查询',
  stats: '统计',
  help: '帮助',
  whoami: '我是谁',
};

export interface NormalizeContext {
  /** The bot's open_id; when unknown, a mention whose mentioned_type is 'bot' counts. */
  botOpenId?: string | null;
  /** The private chat id Lark last used with this person, when known. */
  p2pChatOf?: (openId: string) => string | undefined;
  /**
   * What Lark has said a chat is ('p2p' only on Lark's word: a private message, the entered
   * event, or im.v1.chat.get); undefined when nothing is known, and then the chat is a group.
   */
  chatKind?: (chatId: string) => 'p2p' | 'group' | undefined;
}

interface Mention {
  key?: string;
  id?: { open_id?: string };
  name?: string;
  mentioned_type?: string;
}

/** Dispatches on the event type; unknown types are ignored. */
export function normalizeLarkEvent(data: Record<string, any>, ctx: NormalizeContext = {}): LarkInbound {
  const type = String(data.event_type ?? data.type ?? '');
  const n =
    type === MESSAGE_EVENT
      ? normalizeMessage(data, ctx)
      : type === CARD_ACTION_EVENT
        ? normalizeCardAction(data, ctx)
        : type === MENU_EVENT
          ? normalizeMenu(data, ctx)
          : ({ kind: 'ignore', reason: `unhandled event type ${type || '(none)'}` } as const);
  // Lark's ids are short; anything longer is not Lark's and would not fit the key column.
  if (n.kind !== 'ignore' && n.key.length > 150) return { kind: 'ignore', reason: 'event id too long' };
  return n;
}

export function normalizeMessage(data: Record<string, any>, ctx: NormalizeContext = {}): LarkInbound {
  const eventId = str(data.event_id);
  const msg = data.message ?? {};
  const senderType = str(data.sender?.sender_type);
  const openId = str(data.sender?.sender_id?.open_id);
  const chatId = str(msg.chat_id);
  const messageId = str(msg.message_id);
  if (!eventId) return { kind: 'ignore', reason: 'no event_id' };
  if (senderType && senderType !== 'user') return { kind: 'ignore', reason: `sender is ${senderType}` };
  if (!openId || !chatId || !messageId) return { kind: 'ignore', reason: 'no sender, chat or message id' };
  const chatType: ChatType = msg.chat_type === 'p2p' ? 'p2p' : 'group';
  const mentions: Mention[] = Array.isArray(msg.mentions) ? msg.mentions : [];
  const botKeys = new Set(
    mentions
      .filter((m) => (ctx.botOpenId ? m.id?.open_id === ctx.botOpenId : m.mentioned_type === 'bot'))
      .map((m) => m.key)
      .filter((k): k is string => Boolean(k)),
  );
  // In a group the bot answers only when it is @mentioned (Lark may deliver every group
  // message to an app with the group-message permission).
  if (chatType === 'group' && botKeys.size === 0) return { kind: 'ignore', reason: 'group message without @bot' };

  const key = `evt:${eventId}`;
  const reply: ReplyTarget =
    chatType === 'group'
      ? { receiveIdType: 'chat_id', receiveId: chatId, replyTo: messageId }
      : { receiveIdType: 'chat_id', receiveId: chatId };
  const p2pChat = chatType === 'p2p' ? { openId, chatId } : undefined;

  const text = messageText(str(msg.message_type), msg.content, mentions, botKeys);
  if (text === null) {
    if (chatType === 'p2p') return { kind: 'unsupported', key, eventType: MESSAGE_EVENT, userId: openId, reply, p2pChat };
    return { kind: 'ignore', reason: `group ${str(msg.message_type)} message` };
  }
  return {
    kind: 'incoming',
    key,
    eventType: MESSAGE_EVENT,
    incoming: { kind: 'message', userId: openId, chatId, chatType, messageId, text },
    reply,
    p2pChat,
  };
}

/**
 * The text of a text or post (rich text) message, the bot's @mention removed and any other
 * @mention shown as “@name”; null for other message types or unreadable content.
 */
export function messageText(messageType: string, content: unknown, mentions: Mention[], botKeys: Set<string>): string | null {
  let parsed: any;
  try {
    parsed = typeof content === 'string' ? JSON.parse(content) : content;
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const names = new Map(mentions.filter((m) => m.key).map((m) => [m.key as string, m.name ?? '']));
  const mention = (k: string) => (botKeys.has(k) ? ' ' : names.has(k) ? `@${names.get(k)}` : k);
  let raw: string;
  if (messageType === 'text') {
    if (typeof parsed.text !== 'string') return null;
    raw = parsed.text.replace(/@_user_\d+|@_all/g, (k: string) => mention(k));
  } else if (messageType === 'post') {
    const body = Array.isArray(parsed.content) ? parsed : (parsed.zh_cn ?? parsed.en_us ?? Object.values(parsed)[0]);
    if (!body || !Array.isArray(body.content)) return null;
    const lines: string[] = body.title ? [String(body.title)] : [];
    for (const para of body.content as unknown[]) {
      if (!Array.isArray(para)) continue;
      lines.push(
        para
          .map((el: any) => {
            if (el?.tag === 'text' || el?.tag === 'a' || el?.tag === 'md') return String(el.text ?? '');
            if (el?.tag === 'at') return mention(String(el.user_id ?? ''));
            if (el?.tag === 'code_block') return String(el.text ?? '');
            return '';
          })
          .join(''),
      );
    }
    raw = lines.join('\n');
  } else {
    return null;
  }
  // Tidy each line, keep the line breaks: a pasted block of “字段：值” lines is read line by line.
  return raw
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function normalizeCardAction(data: Record<string, any>, ctx: NormalizeContext = {}): LarkInbound {
  const openId = str(data.operator?.open_id);
  const token = str(data.token);
  const eventId = str(data.event_id);
  const chatId = str(data.context?.open_chat_id);
  const messageId = str(data.context?.open_message_id);
  if (!openId) return { kind: 'ignore', reason: 'card action without operator' };
  if (!token && !eventId) return { kind: 'ignore', reason: 'card action without token' };
  const action = data.action ?? {};
  const rawValue = action.value;
  const value: Record<string, unknown> =
    rawValue && typeof rawValue === 'object' && !Array.isArray(rawValue)
      ? rawValue
      : typeof rawValue === 'string'
        ? parseObject(rawValue) ?? { value: rawValue }
        : {};
  const formValue =
    action.form_value && typeof action.form_value === 'object' && !Array.isArray(action.form_value)
      ? (action.form_value as Record<string, unknown>)
      : undefined;
  const chatType = cardChatType(openId, chatId, ctx);
  const reply: ReplyTarget = chatId
    ? { receiveIdType: 'chat_id', receiveId: chatId, ...(messageId ? { cardMessageId: messageId } : {}) }
    : { receiveIdType: 'open_id', receiveId: openId };
  return {
    kind: 'incoming',
    key: token ? `card:${token}` : `evt:${eventId}`,
    eventType: CARD_ACTION_EVENT,
    incoming: {
      kind: 'action',
      userId: openId,
      chatId: chatId || ctx.p2pChatOf?.(openId) || openId,
      chatType,
      ...(messageId ? { messageId } : {}),
      value,
      ...(formValue ? { formValue } : {}),
    },
    reply,
  };
}

export function normalizeMenu(data: Record<string, any>, ctx: NormalizeContext = {}): LarkInbound {
  const eventId = str(data.event_id);
  const openId = str(data.operator?.operator_id?.open_id);
  const eventKey = str(data.event_key).trim();
  if (!eventId || !openId) return { kind: 'ignore', reason: 'menu event without id or operator' };
  const text = MENU_COMMANDS[eventKey] ?? MENU_COMMANDS[eventKey.toLowerCase()] ?? eventKey;
  if (!text) return { kind: 'ignore', reason: 'menu event without event_key' };
  // A menu click comes with no chat: the answer goes to the person, and the router sees their
  // private chat when Lark has told us which it is (so a form started here continues there).
  const chatId = ctx.p2pChatOf?.(openId) ?? openId;
  return {
    kind: 'incoming',
    key: `evt:${eventId}`,
    eventType: MENU_EVENT,
    incoming: { kind: 'message', userId: openId, chatId, chatType: 'p2p', text },
    reply: { receiveIdType: 'open_id', receiveId: openId },
  };
}

/**
 * A card callback does not say whether its chat is private, and what the answer shows (whole ID
 * numbers, phones, addresses for staff) replaces a card the whole chat may see. So a chat is
 * private only on Lark's word: it is the person's private chat, or Lark said it is p2p. Anything
 * else (a registered group, another chat, nothing known, no chat at all) is a group.
 */
function cardChatType(openId: string, chatId: string, ctx: NormalizeContext): ChatType {
  if (!chatId) return 'group';
  if (ctx.p2pChatOf?.(openId) === chatId) return 'p2p';
  return ctx.chatKind?.(chatId) === 'p2p' ? 'p2p' : 'group';
}

/** im.chat.access_event.bot_p2p_chat_entered_v1: whose private chat with the bot this is. */
export function p2pChatEntered(data: Record<string, any>): { openId: string; chatId: string } | null {
  const chatId = str(data.chat_id);
  const openId = str(data.operator_id?.open_id);
  // Lark's ids are short; anything longer is not Lark's and would not fit the columns.
  if (!chatId || !openId || chatId.length > 64 || openId.length > 64) return null;
  return { openId, chatId };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function parseObject(s: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}
