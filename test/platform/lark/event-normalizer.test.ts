import { messageText, normalizeLarkEvent, P2P_ENTERED_EVENT, p2pChatEntered } from '../../../src/platform/lark/event-normalizer';
import { larkCardActionEvent, larkMenuEvent, larkMessageEvent } from '../../helpers/fake-lark-server';

/** What the SDK's EventDispatcher hands a handler: header and event flattened. */
const flat = (e: Record<string, any>) => ({ event_type: e.header.event_type, ...e.header, ...e.event });
const BOT = 'ou_bot';

describe('normalizeLarkEvent', () => {
  test('a private text message becomes a message for the router, answered in the same chat', () => {
    const e = larkMessageEvent({ openId: 'ou_a', text: '  查询   2026-000123 ', chatId: 'oc_p', messageId: 'om_1', eventId: 'ev_1' });
    expect(normalizeLarkEvent(flat(e), { botOpenId: BOT })).toEqual({
      kind: 'incoming',
      key: 'evt:ev_1',
      eventType: 'im.message.receive_v1',
      incoming: { kind: 'message', userId: 'ou_a', chatId: 'oc_p', chatType: 'p2p', messageId: 'om_1', text: '查询 2026-000123' },
      reply: { receiveIdType: 'chat_id', receiveId: 'oc_p' },
      p2pChat: { openId: 'ou_a', chatId: 'oc_p' },
    });
  });

  test('a group message counts only when it @mentions the bot; the mention is stripped, others kept as @name', () => {
    const plain = larkMessageEvent({ openId: 'ou_a', text: '我是谁', chatType: 'group', chatId: 'oc_g' });
    expect(normalizeLarkEvent(flat(plain), { botOpenId: BOT }).kind).toBe('ignore');
    const other = larkMessageEvent({ openId: 'ou_a', text: '我是谁', chatType: 'group', chatId: 'oc_g', mentionBot: 'ou_someone_else' });
    expect(normalizeLarkEvent(flat(other), { botOpenId: BOT }).kind).toBe('ignore');

    const e = larkMessageEvent({ openId: 'ou_a', text: '交办 给 @_user_2 处理', chatType: 'group', chatId: 'oc_g', mentionBot: BOT, messageId: 'om_g' });
    e.event.message.mentions.push({ key: '@_user_2', id: { open_id: 'ou_li' }, name: '李建国', tenant_key: 't' });
    const n = normalizeLarkEvent(flat(e), { botOpenId: BOT });
    expect(n).toMatchObject({
      kind: 'incoming',
      incoming: { chatType: 'group', text: '交办 给 @李建国 处理' },
      reply: { receiveIdType: 'chat_id', receiveId: 'oc_g', replyTo: 'om_g' },
    });
  });

  test('without the bot’s open_id, a mention of type bot counts', () => {
    const e = larkMessageEvent({ openId: 'ou_a', text: '帮助', chatType: 'group', chatId: 'oc_g', mentionBot: 'ou_whatever' });
    expect(normalizeLarkEvent(flat(e), {})).toMatchObject({ kind: 'incoming', incoming: { text: '帮助' } });
  });

  test('rich text (post) keeps its lines; other message types get a hint in private and are ignored in groups', () => {
    const post = { title: '', content: [[{ tag: 'at', user_id: '@_user_1', user_name: '信访助手' }, { tag: 'text', text: '登记' }], [{ tag: 'text', text: '姓名：王五' }], [{ tag: 'text', text: '电话：13800001234' }]] };
    const e = larkMessageEvent({ openId: 'ou_a', chatType: 'group', chatId: 'oc_g', mentionBot: BOT, messageType: 'post', content: JSON.stringify(post) });
    expect(normalizeLarkEvent(flat(e), { botOpenId: BOT })).toMatchObject({ incoming: { text: '登记\n姓名：王五\n电话：13800001234' } });
    const img = larkMessageEvent({ openId: 'ou_a', messageType: 'image', content: '{"image_key":"img_1"}' });
    expect(normalizeLarkEvent(flat(img), { botOpenId: BOT })).toMatchObject({ kind: 'unsupported', userId: 'ou_a' });
    const gimg = larkMessageEvent({ openId: 'ou_a', chatType: 'group', mentionBot: BOT, messageType: 'image', content: '{}' });
    expect(normalizeLarkEvent(flat(gimg), { botOpenId: BOT }).kind).toBe('ignore');
  });

  test('messages from bots, and events of other types, are ignored', () => {
    expect(normalizeLarkEvent(flat(larkMessageEvent({ openId: 'ou_b', text: 'hi', senderType: 'app' }))).kind).toBe('ignore');
    expect(normalizeLarkEvent({ event_type: 'im.chat.member.bot.added_v1', event_id: 'x' }).kind).toBe('ignore');
  });

  test('a card action carries value, form_value, the operator and the chat and message ids; keyed by its token', () => {
    const e = larkCardActionEvent({ openId: 'ou_a', value: { action: 'case.accept', caseNo: '2026-000007' }, formValue: { reason: '属实' }, chatId: 'oc_g', messageId: 'om_card', cardToken: 'c-tok' });
    expect(normalizeLarkEvent(flat(e), { p2pChatOf: () => 'oc_p', chatKind: () => 'group' })).toEqual({
      kind: 'incoming',
      key: 'card:c-tok',
      eventType: 'card.action.trigger',
      incoming: { kind: 'action', userId: 'ou_a', chatId: 'oc_g', chatType: 'group', messageId: 'om_card', value: { action: 'case.accept', caseNo: '2026-000007' }, formValue: { reason: '属实' } },
      reply: { receiveIdType: 'chat_id', receiveId: 'oc_g', cardMessageId: 'om_card' },
    });
    const own = normalizeLarkEvent(flat(larkCardActionEvent({ openId: 'ou_a', value: { action: 'x' }, chatId: 'oc_p' })), { p2pChatOf: () => 'oc_p' });
    expect(own).toMatchObject({ incoming: { chatType: 'p2p' } });
  });

  test('a card’s chat is private only on Lark’s word: unknown, another chat, or no chat at all is a group', () => {
    const click = (chatId: string, ctx: Parameters<typeof normalizeLarkEvent>[1]) => {
      const e = flat(larkCardActionEvent({ openId: 'ou_a', value: { action: 'x' }, chatId }));
      if (!chatId) delete e.context.open_chat_id;
      const n = normalizeLarkEvent(e, ctx);
      return n.kind === 'incoming' ? n.incoming.chatType : n.kind;
    };
    // Nothing known of the person or the chat (the old rule called this private).
    expect(click('oc_x', {})).toBe('group');
    expect(click('oc_x', { p2pChatOf: () => undefined, chatKind: () => undefined })).toBe('group');
    expect(click('oc_x', { p2pChatOf: () => 'oc_p' })).toBe('group');
    expect(click('', { p2pChatOf: () => 'oc_p' })).toBe('group');
    expect(click('oc_x', { chatKind: () => 'group' })).toBe('group');
    // Lark said so: the person's own private chat, or chat.get / the entered event answered p2p.
    expect(click('oc_p', { p2pChatOf: () => 'oc_p' })).toBe('p2p');
    expect(click('oc_x', { chatKind: () => 'p2p' })).toBe('p2p');
  });

  test('the “entered the chat with the bot” event names the person and their private chat', () => {
    const ev = { event_type: P2P_ENTERED_EVENT, event_id: 'ev_e', chat_id: 'oc_p', operator_id: { open_id: 'ou_a', union_id: 'on_a' }, last_message_id: '' };
    expect(p2pChatEntered(ev)).toEqual({ openId: 'ou_a', chatId: 'oc_p' });
    expect(p2pChatEntered({ ...ev, chat_id: '' })).toBeNull();
    expect(p2pChatEntered({ ...ev, operator_id: {} })).toBeNull();
    expect(p2pChatEntered({ ...ev, chat_id: 'oc_'.padEnd(65, 'x') })).toBeNull();
    // Not a message: the router never sees it.
    expect(normalizeLarkEvent(ev).kind).toBe('ignore');
  });

  test('bot menu items map to commands, sent to the person', () => {
    const cases: Array<[string, string]> = [['register', '登记'], ['todo', '我的待办'], ['today', '今日接访'], ['登记', '登记']];
    for (const [key, cmd] of cases) {
      const n = normalizeLarkEvent(flat(larkMenuEvent({ openId: 'ou_a', eventKey: key, eventId: `ev_${key}` })), { p2pChatOf: () => 'oc_p' });
      expect(n).toEqual({
        kind: 'incoming',
        key: `evt:ev_${key}`,
        eventType: 'application.bot.menu_v6',
        incoming: { kind: 'message', userId: 'ou_a', chatId: 'oc_p', chatType: 'p2p', text: cmd },
        reply: { receiveIdType: 'open_id', receiveId: 'ou_a' },
      });
    }
  });

  test('messageText keeps line breaks of a pasted block and refuses unreadable content', () => {
    expect(messageText('text', JSON.stringify({ text: '姓名：王五\n\n\n\n电话：138' }), [], new Set())).toBe('姓名：王五\n\n电话：138');
    expect(messageText('text', '{not json', [], new Set())).toBeNull();
  });
});
