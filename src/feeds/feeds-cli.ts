import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import { shanghaiDate } from '../platform/calendar/domain';
import type { CliIO, CliRegistrar, Core } from '../platform/core/feature';
import { createFeedService } from './feed-service';
import { FEED_KIND_NAMES, FEED_KINDS, FeedToken, FeedTokenError, FeedTokenStore, isFeedKind } from './feed-token-store';

const kindHelp = FEED_KINDS.map((k) => `${k}（${FEED_KIND_NAMES[k]}）`).join('、');

type OpenCore = () => Promise<Core>;

/** `xinfang feeds token create|list|revoke|rotate` and `xinfang feeds export`. */
export const registerFeedsCli: CliRegistrar = (program, openCore, io) => {
  const feeds = program.command('feeds').description('日历订阅：令牌与导出');
  const token = feeds.command('token').description('订阅令牌：每个订阅者一个，库中只存哈希');
  registerTokenCreate(token, openCore, io);
  registerTokenList(token, openCore, io);
  registerTokenRevoke(token, openCore, io);
  registerTokenRotate(token, openCore, io);
  registerExport(feeds, openCore, io);
};

/** A token the admin names that cannot be found, is ambiguous or already revoked: a usage error (exit 2). */
async function withTokenErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FeedTokenError) throw new CliUsageError(e.message);
    throw e;
  }
}

function registerTokenCreate(token: Command, openCore: OpenCore, io: CliIO): void {
  token
    .command('create')
    .description('为一个订阅者生成令牌，并打印订阅链接（只显示这一次）')
    .requiredOption('--kind <kind>', `订阅类型：${FEED_KINDS.join('|')}`)
    .requiredOption('--subject <id>', 'leader：领导编号；venue：地点编号；deadlines：承办单位名称')
    .option('--label <备注>', '备注，如“办公室值班手机”')
    .action(async (o: { kind: string; subject: string; label?: string }) => {
      if (!isFeedKind(o.kind)) throw new CliUsageError(`订阅类型“${o.kind}”无效，可选：${kindHelp}`);
      const label = o.label?.trim() || null;
      if (label && label.length > 128) throw new CliUsageError('备注不超过 128 个字符');
      const core = await openCore();
      const service = createFeedService(core);
      const problem = await service.checkSubject(o.kind, o.subject);
      if (problem) throw new CliUsageError(problem);
      const { token: t, secret } = await service.tokens.create({ kind: o.kind, subject: o.subject.trim(), label, createdBy: 'cli' }, core.now());
      const url = service.feedUrl(o.kind, secret);
      io.out(`${url}\n`);
      io.err(`已生成令牌 ${t.id}（${FEED_KIND_NAMES[t.kind]}：${t.subject}，前缀 ${t.prefix}）。链接只显示这一次，请妥善转交订阅者。\n`);
    });
}

function registerTokenList(token: Command, openCore: OpenCore, io: CliIO): void {
  token
    .command('list')
    .description('列出令牌（只显示前缀，不显示完整链接）')
    .option('--all', '包括已停用的')
    .option('--json', '输出 JSON')
    .action(async (o: { all?: boolean; json?: boolean }) => {
      const core = await openCore();
      const list = await new FeedTokenStore(core.db).list({ includeRevoked: o.all });
      if (o.json) return void io.out(`${JSON.stringify(list.map(tokenJson), null, 2)}\n`);
      if (!list.length) return void io.out('还没有订阅令牌。用 xinfang feeds token create 生成。\n');
      for (const t of list) {
        io.out(
          `${t.id}\t${t.prefix}…\t${t.kind}\t${t.subject}\t${shanghaiDate(t.createdAt)}` +
            `${t.revokedAt ? `\t已停用 ${shanghaiDate(t.revokedAt)}` : '\t有效'}${t.label ? `\t${t.label}` : ''}\n`,
        );
      }
    });
}

/** A token as `feeds token list --json` prints it: never its hash. */
function tokenJson(t: FeedToken) {
  return {
    id: t.id, kind: t.kind, subject: t.subject, label: t.label, prefix: t.prefix, createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

function registerTokenRevoke(token: Command, openCore: OpenCore, io: CliIO): void {
  token
    .command('revoke <idOrPrefix>')
    .description('停用令牌（按编号或前缀），其链接立即返回 404')
    .action(async (key: string) => {
      const core = await openCore();
      const r = await withTokenErrors(() => new FeedTokenStore(core.db).revoke(key, core.now()));
      io.out(r.already ? `令牌 ${r.token.id}（${r.token.prefix}…）早已停用\n` : `已停用令牌 ${r.token.id}（${r.token.prefix}…，${r.token.kind}：${r.token.subject}）\n`);
    });
}

function registerTokenRotate(token: Command, openCore: OpenCore, io: CliIO): void {
  token
    .command('rotate <idOrPrefix>')
    .description('轮换令牌：停用旧的，为同一订阅者生成新的并打印新链接')
    .action(async (key: string) => {
      const core = await openCore();
      const service = createFeedService(core);
      const r = await withTokenErrors(() => service.tokens.rotate(key, 'cli', core.now()));
      io.out(`${service.feedUrl(r.token.kind, r.secret)}\n`);
      io.err(`已停用令牌 ${r.old.id}（${r.old.prefix}…），新令牌 ${r.token.id}（${r.token.prefix}…）。链接只显示这一次。\n`);
    });
}

function registerExport(feeds: Command, openCore: OpenCore, io: CliIO): void {
  feeds
    .command('export')
    .description('把某年的全部接访下访场次导出为一个 .ics 文件（含已取消的）')
    .requiredOption('--year <year>', '年份')
    .option('--out <file>', '写入文件；不给时输出到屏幕')
    .action(async (o: { year: string; out?: string }) => {
      if (!/^\d{4}$/.test(o.year)) throw new CliUsageError(`年份“${o.year}”无效，应为四位数字`);
      const core = await openCore();
      const ics = await createFeedService(core).render({ kind: 'plan', year: Number(o.year) }, core.now());
      const count = ics.split('\r\nBEGIN:VEVENT\r\n').length - 1;
      if (!o.out) {
        io.out(ics);
      } else {
        const dir = path.dirname(path.resolve(o.out));
        if (!fs.existsSync(dir)) throw new CliUsageError(`目录不存在：${dir}`);
        fs.writeFileSync(o.out, ics, 'utf8');
        io.out(`已导出 ${o.year} 年 ${count} 场到 ${o.out}\n`);
      }
      if (count === 0) io.err(`提示：${o.year} 年没有接访场次\n`);
    });
}
