import type { Command } from 'commander';
import { CliUsageError } from '../platform/errors/cli-usage-error';
import type { CliRegistrar } from '../platform/core/feature';
import { maskPhone } from '../platform/personal-data/masking';
import { shanghaiDate } from '../platform/calendar/domain';
import { parseThirdPartyKind, THIRD_PARTY_KINDS, thirdPartyLabel } from './domain/third-party-rules';
import { asCliError } from './roster-cli';
import { RulesFile } from './rules-file';
import { ThirdPartyService } from './third-party-service';

/**
 * `xinfang third-party add|list|remove`: the roster of lawyers, counsellors and mediators who sit in
 * on reception days. Phones are printed masked, in JSON too.
 */
export const registerThirdPartyCli: CliRegistrar = (program, openCore, io) => {
  const cmd: Command = program.command('third-party').description('第三方力量名册：参与接访的律师、心理咨询师、调解员');
  const service = async () => {
    const c = await openCore();
    return { c, tp: new ThirdPartyService(c, new RulesFile(c)) };
  };
  cmd
    .command('add')
    .description('登记一位第三方人员')
    .requiredOption('--name <姓名>', '姓名')
    .requiredOption('--kind <类别>', `类别：${THIRD_PARTY_KINDS.join('、')}`)
    .requiredOption('--phone <电话>', '手机或“区号-号码”')
    .option('--org <单位>', '所在单位，如 正衡律师事务所')
    .action(async (o: { name: string; kind: string; phone: string; org?: string }) => {
      const { c, tp } = await service();
      const p = await asCliError(() => tp.register({ name: o.name, kind: o.kind, organisation: o.org ?? null, phone: o.phone }, 'cli', c.now()));
      io.out(`已登记：${thirdPartyLabel(p)}，电话 ${maskPhone(p.phone)}，编号 ${p.id}\n`);
    });
  cmd
    .command('list')
    .description('列出第三方名册（电话隐去部分数字）')
    .option('--kind <类别>', `只列某一类：${THIRD_PARTY_KINDS.join('、')}`)
    .option('--all', '也列出已移出名册的')
    .option('--json', '输出 JSON')
    .action(async (o: { kind?: string; all?: boolean; json?: boolean }) => {
      const kind = o.kind ? parseThirdPartyKind(o.kind) : null;
      if (o.kind && !kind) throw new CliUsageError(`--kind 应为：${THIRD_PARTY_KINDS.join('、')}`);
      const { c, tp } = await service();
      const people = await tp.store.list({ activeOnly: !o.all, ...(kind ? { kind } : {}) });
      const coming = new Map<number, number>();
      for (const b of await tp.store.bookings(shanghaiDate(c.now()), '9999-12-31')) coming.set(b.thirdPartyId, (coming.get(b.thirdPartyId) ?? 0) + 1);
      if (o.json) {
        const out = people.map((p) => ({
          id: p.id, name: p.name, kind: p.kind, organisation: p.organisation, phone: maskPhone(p.phone), active: p.active, comingSessions: coming.get(p.id) ?? 0,
        }));
        return void io.out(`${JSON.stringify(out, null, 2)}\n`);
      }
      if (!people.length) return void io.out('第三方名册中还没有人。用 xinfang third-party add --name … --kind 律师 --phone … 登记。\n');
      for (const p of people) {
        io.out(`${p.id}\t${p.kind}\t${p.name}\t${p.organisation ?? ''}\t${maskPhone(p.phone)}\t今后 ${coming.get(p.id) ?? 0} 场${p.active ? '' : '\t已移出'}\n`);
      }
    });
  cmd
    .command('remove <who>')
    .description('移出名册（按编号或姓名）；今后的接访安排一并取消，已参加的记录保留')
    .action(async (who: string) => {
      const { c, tp } = await service();
      const r = await asCliError(() => tp.remove(who, 'cli', c.now()));
      io.out(`已移出第三方名册：${thirdPartyLabel(r.person)}（编号 ${r.person.id}）${r.sessions ? `；取消今后的接访安排 ${r.sessions} 场` : ''}\n`);
    });
};
