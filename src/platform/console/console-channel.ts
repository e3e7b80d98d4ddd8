import { timingSafeEqual } from 'node:crypto';
import express, { Express, NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { Router } from '../chat/router';
import type { Incoming } from '../chat/messages';
import type { Core } from '../core/feature';
import { outboxRowsAfter, OutboxStatus } from '../outbox/outbox-store';
import { CONSOLE_PAGE, CONSOLE_VCHART_PATH } from './console-page';

const messageBody = z.object({
  user: z.string().trim().min(1, '不能为空').max(64, '不超过 64 个字符'),
  text: z.string().max(20000, '消息过长（最多 20000 字）'),
  chatId: z.string().max(64).optional(),
  chatType: z.enum(['p2p', 'group']).optional(),
});
const actionBody = z.object({
  user: z.string().trim().min(1, '不能为空').max(64, '不超过 64 个字符'),
  value: z.record(z.string(), z.unknown()),
  formValue: z.record(z.string(), z.unknown()).optional(),
  chatId: z.string().max(64).optional(),
  chatType: z.enum(['p2p', 'group']).optional(),
});

/** How an outbox row's state reads on the page. */
const OUTBOX_STATUS_LABELS: Record<OutboxStatus, string> = { pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败' };

const TYPE_NAMES: Record<string, string> = { string: '文本', object: 'JSON 对象', number: '数字', boolean: '布尔值', array: '数组' };

/** The first problem with a request body, in Chinese (zod's own messages are English). */
function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  const path = i.path.join('.');
  if (!path) return '请求体应为 JSON 对象，例如 {"user":"staff1","text":"帮助"}';
  if (i.code === 'invalid_type' && /received undefined/.test(i.message)) return `缺少字段 ${path}`;
  if (i.code === 'invalid_type') return `字段 ${path} 的类型不对，应为${TYPE_NAMES[String(i.expected)] ?? String(i.expected)}`;
  if (i.code === 'invalid_value') return `字段 ${path} 的取值无效，可选：${(i.values ?? []).map(String).join('、')}`;
  return `${path}：${i.message}`;
}

/**
 * The chat sandbox: a page where a person picks a user and talks to the bot, and its JSON API,
 * which end-to-end tests drive as a person would. It feeds the same router as Lark.
 */
export function mountConsole(app: Express, core: Core, router: Router): void {
  const api = express.Router();
  api.use(express.json({ limit: '256kb' }));
  api.use(requireToken(core.config.CONSOLE_TOKEN));

  const turn = async (res: Response, incoming: Incoming) => {
    const user = await core.users.get(incoming.userId);
    if (!user) return void res.status(404).json({ error: `用户“${incoming.userId}”不存在，请先用 xinfang users add 添加` });
    const replies = await router.handle(incoming);
    res.json({ replies });
  };

  api.post('/messages', async (req: Request, res: Response) => {
    const p = messageBody.safeParse(req.body ?? {});
    if (!p.success) return void res.status(400).json({ error: firstIssue(p.error) });
    const { user, text, chatId, chatType } = p.data;
    await turn(res, { kind: 'message', userId: user, text, chatId: chatId ?? `console:${user}`, chatType: chatType ?? 'p2p' });
  });

  api.post('/actions', async (req: Request, res: Response) => {
    const p = actionBody.safeParse(req.body ?? {});
    if (!p.success) return void res.status(400).json({ error: firstIssue(p.error) });
    const { user, value, formValue, chatId, chatType } = p.data;
    await turn(res, {
      kind: 'action', userId: user, value, formValue, chatId: chatId ?? `console:${user}`, chatType: chatType ?? 'p2p',
    });
  });

  api.get('/users', async (_req, res) => {
    const users = await core.users.list();
    res.json({ users: users.map((u) => ({ id: u.id, name: u.name, role: u.role, unit: u.unit, town: u.town })) });
  });

  /** What the bot sent on its own (reminders, 交办 cards to groups), newest last. */
  api.get('/outbox', async (req, res) => {
    const after = Number(req.query.after ?? 0) || 0;
    const rows = await outboxRowsAfter(core.db, after, 50);
    res.json({
      messages: rows.map((r) => ({
        id: r.id,
        to: r.receiveId,
        msgType: r.msgType,
        status: r.status,
        statusLabel: OUTBOX_STATUS_LABELS[r.status] ?? r.status,
        content: safeJson(r.content),
        createdAt: r.createdAt,
      })),
    });
  });

  api.use((_req, res) => void res.status(404).json({ error: '没有这个接口' }));
  api.use((err: any, _req: Request, res: Response, next: NextFunction) => {
    if (err?.type === 'entity.parse.failed') return void res.status(400).json({ error: '请求体不是合法的 JSON' });
    if (err?.type === 'entity.too.large') return void res.status(413).json({ error: '请求体过大' });
    next(err);
  });

  app.use('/console/api', api);
  // The chart library the page draws card charts with: public code, so no token; from node_modules, never a CDN.
  const vchart = require.resolve('@visactor/vchart/build/index.min.js');
  app.get(CONSOLE_VCHART_PATH, (_req, res) => {
    res.sendFile(vchart, { maxAge: '1d', headers: { 'content-type': 'text/javascript; charset=utf-8' } });
  });
  app.get('/console', requireToken(core.config.CONSOLE_TOKEN), (_req, res) => {
    res.type('html').send(CONSOLE_PAGE);
  });
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** When CONSOLE_TOKEN is set, every console request must carry it (header or ?token=). */
function requireToken(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) return next();
    const given = String(req.get('x-console-token') ?? req.query.token ?? '');
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length === b.length && timingSafeEqual(a, b)) return next();
    res.status(401).json({ error: '控制台需要正确的访问令牌（CONSOLE_TOKEN）' });
  };
}
