import { card, Outgoing, text } from '../../../src/platform/chat/messages';
import { inlineAnswer, lateCardActionMessages, replyMessage } from '../../../src/platform/inbound/reply-messages';

const privateChat = { receiveIdType: 'chat_id' as const, receiveId: 'oc_p2p' };
const groupQuestion = { receiveIdType: 'chat_id' as const, receiveId: 'oc_group', replyTo: 'om_question' };
const clickedCard = { receiveIdType: 'chat_id' as const, receiveId: 'oc_p2p', cardMessageId: 'om_card' };
const aCard = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '已受理' }] } };

describe('the replies to an event, as outbox messages', () => {
  test('in a private chat a new message; in a group a reply under the question; traced to the event', () => {
    expect(replyMessage(privateChat, text('你好'), 7)).toEqual({
      kind: 'create', receiveIdType: 'chat_id', receiveId: 'oc_p2p', msgType: 'text', content: { text: '你好' }, source: 'lark-event:7',
    });
    expect(replyMessage(groupQuestion, card(aCard), 8)).toEqual({
      kind: 'reply', replyTo: 'om_question', receiveIdType: 'chat_id', receiveId: 'oc_group', msgType: 'interactive', content: aCard, source: 'lark-event:8',
    });
  });

  test('a file goes as a file message with its name, type and bytes', () => {
    const f: Outgoing = { type: 'file', name: '督办函.docx', mime: 'application/msword', base64: Buffer.from('PK').toString('base64') };
    expect(replyMessage(privateChat, f, 9)).toMatchObject({ msgType: 'file', content: { name: '督办函.docx', mime: 'application/msword', base64: Buffer.from('PK').toString('base64') } });
  });

  test('a card action answered late: its first card patches the clicked card, the rest are sent', () => {
    const [patch, rest] = lateCardActionMessages(clickedCard, [card(aCard), text('已通知承办单位')], 10);
    expect(patch).toEqual({ kind: 'patch', messageId: 'om_card', receiveIdType: 'chat_id', receiveId: 'oc_p2p', msgType: 'interactive', content: aCard, source: 'lark-event:10' });
    expect(rest).toMatchObject({ kind: 'create', msgType: 'text', content: { text: '已通知承办单位' } });
    // A text first, or no clicked card known: nothing is patched.
    expect(lateCardActionMessages(clickedCard, [text('好'), card(aCard)], 11).map((m) => m.kind)).toEqual(['create', 'create']);
    expect(lateCardActionMessages(privateChat, [card(aCard)], 12).map((m) => m.kind)).toEqual(['create']);
  });
});

describe('the answer to a card callback', () => {
  test('the first card replaces the clicked card; the other replies are sent', () => {
    const replies = [card(aCard), text('已通知承办单位')];
    expect(inlineAnswer(replies, 30 * 1024)).toEqual({ answer: { card: { type: 'raw', data: aCard } }, rest: [replies[1]] });
  });

  test('a short one-line text shows as a toast', () => {
    expect(inlineAnswer([text('已保存')], 30 * 1024)).toEqual({ answer: { toast: { type: 'info', content: '已保存' } }, rest: [] });
  });

  test('a card over the size limit, a long or multi-line text: an empty answer, and every reply is sent', () => {
    const big = [card(aCard)];
    expect(inlineAnswer(big, 10)).toEqual({ answer: {}, rest: big });
    const long = [text('很'.repeat(61))];
    expect(inlineAnswer(long, 30 * 1024)).toEqual({ answer: {}, rest: long });
    const lines = [text('第一行\n第二行')];
    expect(inlineAnswer(lines, 30 * 1024)).toEqual({ answer: {}, rest: lines });
    expect(inlineAnswer([], 30 * 1024)).toEqual({ answer: {}, rest: [] });
  });
});
