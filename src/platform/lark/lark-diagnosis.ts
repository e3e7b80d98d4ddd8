import type { Chat } from '../directory/chat-store';
import type { Core, Finding } from '../core/feature';
import type { LarkClientHandle } from './lark-client';

export interface LarkDiagnosisOptions {
  /** The whole check's limit: chats not answered by then are reported unchecked. */
  timeoutMs?: number;
  /** Requests at once (Lark allows 50/s on this API). */
  concurrency?: number;
}

type Answer = { chat: Chat; state: 'in' | 'out' } | { chat: Chat; state: 'error'; why: string } | { chat: Chat; state: 'timeout' };

const SHOWN = 8;

function chatLabel(c: Chat): string {
  return `${c.name ?? '（未命名）'}（${c.id}）`;
}

function some(chats: Chat[]): string {
  const shown = chats.slice(0, SHOWN).map(chatLabel).join('、');
  return chats.length > SHOWN ? `${shown}等 ${chats.length} 个` : shown;
}

/** Lark's code and msg from an SDK answer or a thrown HTTP error, without the request. */
function whyOf(e: any): string {
  const body = e?.response?.data ?? e;
  if (typeof body?.code === 'number') return `${body.code} ${String(body.msg ?? '').slice(0, 80)}`.trim();
  return String(e?.message ?? e).slice(0, 80);
}

/**
 * Asks Lark (GET /open-apis/im/v1/chats/:chat_id/members/is_in_chat, with the app's tenant token:
 * "is the bot in this chat") about every registered chat.
 */
async function askLark(client: LarkClientHandle, chat: Chat): Promise<Answer> {
  try {
    const res: any = await client.client.request({
      method: 'GET',
      url: `/open-apis/im/v1/chats/${encodeURIComponent(chat.id)}/members/is_in_chat`,
    });
    if (res?.code !== undefined && res.code !== 0) return { chat, state: 'error', why: whyOf(res) };
    const inChat = res?.data?.is_in_chat;
    if (typeof inChat !== 'boolean') return { chat, state: 'error', why: '飞书的回答中没有 is_in_chat' };
    return { chat, state: inChat ? 'in' : 'out' };
  } catch (e) {
    return { chat, state: 'error', why: whyOf(e) };
  }
}

/**
 * `xinfang doctor` with a Lark app: a registered chat the bot is not in gets none of the bot's
 * messages (交办, reminders, digests), and the send fails only later, in the outbox. Optional and
 * time-limited: with Lark off it checks nothing; chats Lark does not answer about in time, or
 * cannot be asked about, are findings of their own.
 */
export async function diagnoseLark(core: Core, client: () => LarkClientHandle, opts: LarkDiagnosisOptions = {}): Promise<Finding[]> {
  if (!core.config.larkEnabled) return [];
  const chats = await core.chats.list();
  if (!chats.length) return [];
  const timeoutMs = opts.timeoutMs ?? 8000;
  const answers = new Map<string, Answer>();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  const queue = [...chats];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) answers.set(c.id, await askLark(client(), c));
  };
  const workers = Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 5, chats.length) }, worker));
  await Promise.race([workers, deadline]);
  clearTimeout(timer);
  queue.length = 0; // what is still waiting is not asked any more
  const all: Answer[] = chats.map((c) => answers.get(c.id) ?? { chat: c, state: 'timeout' });
  return findingsOf(all, timeoutMs);
}

function findingsOf(all: Answer[], timeoutMs: number): Finding[] {
  const out: Finding[] = [];
  const outside = all.filter((a) => a.state === 'out').map((a) => a.chat);
  if (outside.length) {
    out.push({
      area: '飞书',
      severity: 'error',
      problem: `机器人不在 ${outside.length} 个已登记的群里：${some(outside)}。发往这些群的交办通知、期限提醒和日报都会失败。`,
      fix: '在飞书中打开群设置 → 群机器人 → 添加机器人，把本应用加进这些群；群已解散或 chat_id 有误的，用 xinfang chats add 改正。',
      chatFix: '在飞书中打开群设置 → 群机器人 → 添加机器人，把信访助手加进这些群；群已解散或登记有误的，请系统管理员改正群的登记。',
    });
  }
  const failed = all.filter((a): a is Extract<Answer, { state: 'error' }> => a.state === 'error');
  if (failed.length) {
    const whys = [...new Set(failed.map((a) => a.why))].slice(0, 3).join('；');
    out.push({
      area: '飞书',
      severity: 'warning',
      problem: `无法确认机器人是否在 ${failed.length} 个群里：${some(failed.map((a) => a.chat))}（飞书答复：${whys}）。`,
      fix: '检查 LARK_APP_ID、LARK_APP_SECRET，应用是否开通“获取群组信息”（im:chat:readonly）权限，以及这些 chat_id 是否正确。',
    });
  }
  const unanswered = all.filter((a) => a.state === 'timeout').map((a) => a.chat);
  if (unanswered.length) {
    out.push({
      area: '飞书',
      severity: 'warning',
      problem: `飞书在 ${Number((timeoutMs / 1000).toFixed(1))} 秒内没有回答，${unanswered.length} 个群未能检查：${some(unanswered)}。`,
      fix: '检查服务器到飞书开放平台（LARK_DOMAIN）的网络，稍后再运行 xinfang doctor。',
      chatFix: '请系统管理员检查服务器到飞书开放平台的网络，稍后再发送“系统检查”。',
    });
  }
  return out;
}
