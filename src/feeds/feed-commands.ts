import { UserError } from '../platform/errors/user-error';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain';
import type { FeedService, FeedSpec } from './feed-service';
import type { FeedKind } from './feed-token-store';
import type { User } from '../platform/directory/user-store';
import type { Context, Router } from '../platform/chat/router';
import type { Outgoing } from '../platform/chat/messages';
import { text } from '../platform/chat/messages';

const GROUP = '日历';

/** A leader subscribes to their sessions; a unit's user to the unit's deadlines. */
async function subscriberOf(service: FeedService, user: User): Promise<{ kind: FeedKind; subject: string; spec: FeedSpec }> {
  if (user.role === 'leader') {
    const leader = await service.roster.leader(user.id);
    if (!leader) throw new UserError('您还没有登记为接访领导，暂时没有接访日程。请联系县信访局管理员。');
    return { kind: 'leader', subject: leader.id, spec: { kind: 'leader', leader } };
  }
  if (user.role === 'unit') {
    if (!user.unit) throw new UserError('您的账号还没有所属单位，请联系县信访局管理员设置。');
    return { kind: 'deadlines', subject: user.unit, spec: { kind: 'deadlines', unit: user.unit } };
  }
  throw new UserError('日历订阅供接访领导和承办单位使用。管理员可发送“导出日历 2026”导出全年接访计划。');
}

function howToSubscribe(url: string, webcal: string): string {
  return [
    url,
    '',
    '添加到日历（只需一次，之后每小时自动更新）：',
    '• 飞书日历：日历 → 添加日历 → 订阅网络日历，粘贴上面的链接',
    '• Outlook：添加日历 → 从 Internet 订阅，粘贴链接',
    `• 苹果日历：文件 → 新建日历订阅（iPhone：设置 → 日历 → 账户 → 添加已订阅的日历），也可直接打开 ${webcal}`,
    '• Google 日历：其他日历 → 通过网址添加',
  ].join('\n');
}

function linkReply(service: FeedService, kind: FeedKind, secret: string, fresh: 'new' | 'rotated', revoked = 0): Outgoing {
  const url = service.feedUrl(kind, secret);
  const what = kind === 'leader' ? '您的接访下访日程' : '本单位信访件的办理期限';
  const head = fresh === 'rotated'
    ? `已为您生成新的日历订阅链接${revoked ? `，原来的 ${revoked} 个链接已停用（已订阅的日历请改用新链接）` : ''}。`
    : `这是${what}的日历订阅链接：`;
  return text(
    [
      head,
      howToSubscribe(url, service.webcalUrl(url)),
      '',
      '请勿转发：持有链接的人都能看到其中的安排。为安全起见，链接只显示这一次；如遗失，发送“重置日历链接”换一个（旧链接随即失效）。',
    ].join('\n'),
  );
}

function icsFile(name: string, ics: string): Outgoing {
  return { type: 'file', name, mime: 'text/calendar', base64: Buffer.from(ics, 'utf8').toString('base64') };
}

/** 我的日历, 重置日历链接, 下载日历, 导出日历. */
export function registerFeedCommands(router: Router, service: FeedService): void {
  router.command(
    { names: ['我的日历', '日历订阅', '订阅日历'], help: '获取日历订阅链接（飞书、Outlook、苹果、Google 日历）', roles: ['leader', 'unit'], group: GROUP },
    async (ctx) => {
      const sub = await subscriberOf(service, ctx.user);
      const existing = await service.tokens.activeFor(sub.kind, sub.subject);
      if (existing.length) {
        const t = existing[existing.length - 1];
        return [
          text(
            `您已经有日历订阅链接（${formatChineseDate(shanghaiDate(t.createdAt))}生成，链接中的令牌以 ${t.prefix} 开头），已订阅的日历会自动更新。\n` +
              '为安全起见，链接只在生成时显示一次。如果找不到了，发送“重置日历链接”生成新链接（旧链接随即失效）；也可发送“下载日历”获取 .ics 文件。',
          ),
        ];
      }
      const created = await service.tokens.create({ kind: sub.kind, subject: sub.subject, label: '聊天中生成', createdBy: ctx.user.id }, ctx.now);
      return [linkReply(service, sub.kind, created.secret, 'new')];
    },
  );

  router.command(
    { names: ['重置日历链接', '重置日历订阅'], help: '换一个新的日历订阅链接，旧链接停用', roles: ['leader', 'unit'], group: GROUP },
    async (ctx) => {
      const sub = await subscriberOf(service, ctx.user);
      const r = await service.tokens.rotateFor({ kind: sub.kind, subject: sub.subject, label: '聊天中重置', createdBy: ctx.user.id }, ctx.now);
      return [linkReply(service, sub.kind, r.secret, 'rotated', r.revoked)];
    },
  );

  router.command(
    { names: ['下载日历'], help: '把您的日程下载为 .ics 文件，可导入任何日历', roles: ['leader', 'unit'], group: GROUP },
    async (ctx) => {
      const sub = await subscriberOf(service, ctx.user);
      const ics = await service.render(sub.spec, ctx.now);
      const name = sub.kind === 'leader' ? `接访日程-${shanghaiDate(ctx.now)}.ics` : `办理期限-${shanghaiDate(ctx.now)}.ics`;
      return [icsFile(name, ics), text('日程文件已生成：打开即可导入日历。文件不会自动更新；想随时看到最新安排，请发送“我的日历”订阅。')];
    },
  );

  router.command(
    { names: ['导出日历'], help: '导出某年全部接访下访场次为一个 .ics 文件', roles: ['admin'], group: GROUP, example: '导出日历 2026' },
    async (ctx: Context) => {
      const year = parseYear(ctx.args, ctx.now);
      const ics = await service.render({ kind: 'plan', year }, ctx.now);
      const count = ics.split('\r\nBEGIN:VEVENT\r\n').length - 1;
      if (count === 0) throw new UserError(`${year} 年还没有接访计划，无可导出。`);
      return [icsFile(`接访计划-${year}.ics`, ics), text(`已导出 ${year} 年接访下访计划，共 ${count} 场（含已取消的场次）。`)];
    },
  );
}

/** The years a plan can be exported for: those the calendar and the plan generator work with. */
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

function parseYear(args: string, now: Date): number {
  const a = args.replace(/年$/, '').trim();
  const thisYear = Number(shanghaiDate(now).slice(0, 4));
  if (!a) return thisYear;
  if (!/^\d{4}$/.test(a)) throw new UserError(`年份“${args}”无效，请写四位数字，例如：导出日历 ${thisYear}`);
  const year = Number(a);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw new UserError(
      `${year} 年超出范围：只能导出 ${FIRST_YEAR} 年至 ${LAST_YEAR} 年间已生成接访计划的年份，例如今年（导出日历 ${thisYear}）或明年（导出日历 ${thisYear + 1}）。`,
    );
  }
  return year;
}
