import type { Command } from 'commander';
import { CliUsageError } from '../errors/cli-usage-error';
import type { CliIO, CliRegistrar, Core } from '../core/feature';
import { configPath } from '../settings/config';
import { CHAT_ROLES, ChatRole } from '../directory/chat-store';
import { ROLE_NAMES, ROLES, Role, User } from '../directory/user-store';

type OpenCore = () => Promise<Core>;

interface UserOptions {
  id: string;
  name: string;
  role: string;
  unit?: string;
  town?: string;
  title?: string;
}

/** `xinfang users add|list` and `xinfang chats add|list`: who uses the bot, and the groups it serves. */
export const registerDirectoryCli: CliRegistrar = (program, openCore, io) => {
  const users = program.command('users').description('用户与角色');
  registerUsersAdd(users, openCore, io);
  registerUsersList(users, openCore, io);
  const chats = program.command('chats').description('群聊与它代表的单位或角色');
  registerChatsAdd(chats, openCore, io);
  registerChatsList(chats, openCore, io);
};

function registerUsersAdd(users: Command, openCore: OpenCore, io: CliIO): void {
  users
    .command('add')
    .description('添加或更新用户')
    .requiredOption('--id <id>', '用户ID（生产环境为飞书 open_id，控制台可用任意名字）')
    .requiredOption('--name <姓名>', '姓名')
    .requiredOption('--role <role>', `角色：${ROLES.join('|')}`)
    .option('--unit <单位>', '所属承办单位（角色 unit 必填）')
    .option('--town <乡镇>', '所属乡镇')
    .option('--title <职务>', '职务（领导）')
    .action(async (o: UserOptions) => {
      const id = o.id.trim();
      const name = o.name.trim();
      if (!id || id.length > 64 || /\s/.test(id)) throw new CliUsageError('用户ID不能为空、不能含空格，且不超过 64 个字符');
      if (!name || name.length > 64) throw new CliUsageError('姓名不能为空，且不超过 64 个字符');
      if (!(ROLES as readonly string[]).includes(o.role)) {
        throw new CliUsageError(`角色“${o.role}”无效，可选：${ROLES.map((r) => `${r}（${ROLE_NAMES[r]}）`).join('、')}`);
      }
      const c = await openCore();
      const existing = await c.users.get(id);
      const merged = userToSave(c, { id, name, role: o.role as Role }, o, existing);
      await c.users.upsert(merged);
      if (existing && existing.role !== merged.role) {
        io.err(`注意：已将 ${existing.name}（${id}）的角色由“${ROLE_NAMES[existing.role]}”改为“${ROLE_NAMES[merged.role]}”\n`);
      }
      io.out(`已保存用户 ${name}（${id}，${ROLE_NAMES[o.role as Role]}）\n`);
    });
}

/** The user as saved: its unit and town checked against the reference data, merged with what is stored. */
function userToSave(c: Core, { id, name, role }: Pick<User, 'id' | 'name' | 'role'>, o: UserOptions, existing: User | null): User {
  const ref = c.reference();
  const unit = o.unit?.trim() || undefined;
  const town = o.town?.trim() || undefined;
  if (unit && !ref.units.includes(unit)) {
    throw new CliUsageError(`单位“${unit}”不在单位名录中（${configPath(c.config, 'reference.json')} 的 units），请先加入名录或检查写法`);
  }
  if (town && !ref.towns.includes(town)) throw new CliUsageError(`乡镇“${town}”无效，可选：${ref.towns.join('、')}`);
  // Updating a user keeps what this command does not mention (a leader's 职务 and 乡镇 survive a rename).
  const merged = {
    id, name, role,
    unit: unit ?? existing?.unit ?? null,
    town: town ?? existing?.town ?? null,
    title: o.title?.trim() || existing?.title || null,
  };
  if (merged.role === 'unit' && !merged.unit) throw new CliUsageError('承办单位用户（--role unit）必须用 --unit 指明单位');
  if (merged.role !== 'unit') merged.unit = unit ?? null;
  return merged;
}

function registerUsersList(users: Command, openCore: OpenCore, io: CliIO): void {
  users
    .command('list')
    .description('列出用户')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const c = await openCore();
      const list = await c.users.list();
      if (o.json) return void io.out(`${JSON.stringify(list, null, 2)}\n`);
      if (!list.length) return void io.out('还没有用户。用 xinfang users add 添加，或 xinfang demo 生成示例县。\n');
      for (const u of list) {
        io.out(`${u.id}\t${u.name}\t${ROLE_NAMES[u.role]}${u.unit ? `\t${u.unit}` : ''}${u.town ? `\t${u.town}` : ''}\n`);
      }
    });
}

function registerChatsAdd(chats: Command, openCore: OpenCore, io: CliIO): void {
  chats
    .command('add')
    .description('登记一个群：承办单位的群，或信访局某类群')
    .requiredOption('--id <chat_id>', '飞书群 chat_id（oc_…）')
    .option('--unit <单位>', '承办单位')
    .option('--role <role>', `信访局群的用途：${CHAT_ROLES.join('|')}`)
    .option('--venue <venue_id>', '接访地点的群（与 --role venue 同用）')
    .option('--name <群名>', '群名')
    .action(async (o: { id: string; unit?: string; role?: string; venue?: string; name?: string }) => {
      const id = o.id.trim();
      if (!id || id.length > 64) throw new CliUsageError('群ID不能为空，且不超过 64 个字符');
      if (Boolean(o.unit) === Boolean(o.role)) throw new CliUsageError('请在 --unit 与 --role 中二选一');
      if (o.role && !(CHAT_ROLES as readonly string[]).includes(o.role)) {
        throw new CliUsageError(`群用途“${o.role}”无效，可选：${CHAT_ROLES.join('、')}`);
      }
      const c = await openCore();
      await c.chats.upsert({ id, name: o.name ?? null, unit: o.unit ?? null, role: (o.role as ChatRole) ?? null, venueId: o.venue ?? null });
      io.out(`已登记群 ${id}（${o.unit ? `承办单位：${o.unit}` : `用途：${o.role}`}）\n`);
    });
}

function registerChatsList(chats: Command, openCore: OpenCore, io: CliIO): void {
  chats
    .command('list')
    .description('列出登记的群')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const c = await openCore();
      const list = await c.chats.list();
      if (o.json) return void io.out(`${JSON.stringify(list, null, 2)}\n`);
      for (const ch of list) io.out(`${ch.id}\t${ch.unit ? `单位:${ch.unit}` : `用途:${ch.role}`}\t${ch.name ?? ''}\n`);
    });
}
