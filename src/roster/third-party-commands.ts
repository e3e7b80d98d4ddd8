import { shanghaiDate } from '../platform/calendar/domain';
import { UserError } from '../platform/errors/user-error';
import type { Context, Router } from '../platform/chat/router';
import { card, IncomingAction, Outgoing, text } from '../platform/chat/messages';
import { parseThirdPartyKind, THIRD_PARTY_KINDS, thirdPartyLabel } from './domain/third-party-rules';
import { formText, GROUP } from './command-args';
import { REGISTER_ACTION, REGISTER_EXAMPLE, REMOVE_ACTIONS, thirdPartyFormCard, thirdPartyRemoveConfirmCard, thirdPartyRosterCard } from './third-party-cards';
import type { ThirdPartyInput, ThirdPartyService } from './third-party-service';
import { maskPhone } from '../platform/personal-data/masking';

const STAFF = ['staff', 'admin'] as const;

/** 第三方名册, 第三方登记 (form or one line or a block), 安排第三方, 取消第三方, 第三方停用. */
export function registerThirdPartyCommands(router: Router, tp: ThirdPartyService): void {
  router.command(
    { names: ['第三方名册'], help: '参与接访的律师、心理咨询师、调解员名册', group: GROUP, roles: ['staff', 'admin', 'leader'], example: '第三方名册 律师' },
    async (ctx) => {
      const kind = ctx.args ? parseThirdPartyKind(ctx.args) : null;
      if (ctx.args && !kind) throw new UserError(`类别“${ctx.args}”不对，应为：${THIRD_PARTY_KINDS.join('、')}，或不写（全部）。`);
      const people = await tp.store.list({ activeOnly: true, ...(kind ? { kind } : {}) });
      const coming = new Map<number, number>();
      for (const b of await tp.store.bookings(shanghaiDate(ctx.now), '9999-12-31')) coming.set(b.thirdPartyId, (coming.get(b.thirdPartyId) ?? 0) + 1);
      return [card(thirdPartyRosterCard(people, coming, kind))];
    },
  );
  router.command(
    { names: ['第三方登记'], help: '把律师、心理咨询师、调解员登记进第三方名册', group: GROUP, roles: [...STAFF], example: REGISTER_EXAMPLE },
    async (ctx) => (ctx.args ? registered(tp, parseRegistration(ctx.args), ctx) : [card(thirdPartyFormCard())]),
  );
  router.action(REGISTER_ACTION, (ctx: Context<IncomingAction>) => registered(tp, {
    name: formText(ctx, 'name'), kind: formText(ctx, 'kind'), organisation: formText(ctx, 'organisation'), phone: formText(ctx, 'phone'),
  }, ctx), [...STAFF]);
  router.command(
    { names: ['安排第三方'], help: '安排第三方人员参加某场接访（同一半天已有安排的不能再排）', group: GROUP, roles: [...STAFF], example: '安排第三方 12 林书恒' },
    async (ctx) => {
      const [no, who] = sessionAndWho(ctx.args, '安排第三方');
      return [text(await tp.assign(no, who, ctx.user.id, ctx.now))];
    },
  );
  router.command(
    { names: ['取消第三方'], help: '取消第三方人员参加某场接访', group: GROUP, roles: [...STAFF], example: '取消第三方 12 林书恒' },
    async (ctx) => {
      const [no, who] = sessionAndWho(ctx.args, '取消第三方');
      return [text(await tp.unassign(no, who, ctx.user.id, ctx.now))];
    },
  );
  router.command(
    { names: ['第三方停用'], help: '把某人移出第三方名册（今后的接访安排一并取消，先确认）', group: GROUP, roles: ['admin'], example: '第三方停用 林书恒' },
    async (ctx) => {
      if (!ctx.args) throw new UserError('请写明姓名或名册编号，例如：第三方停用 林书恒');
      const r = await tp.removalPreview(ctx.args, ctx.now);
      return [card(thirdPartyRemoveConfirmCard(r.person, r.sessions))];
    },
  );
  router.action(REMOVE_ACTIONS.confirm, async (ctx) => {
    const id = Number(ctx.incoming.value.id);
    const person = Number.isInteger(id) && id > 0 ? await tp.byId(id) : null;
    if (!person) throw new UserError('没有找到这位第三方人员，请发送“第三方名册”查看。');
    if (!person.active) return [text(`${thirdPartyLabel(person)}已移出第三方名册，无需再次停用。`)];
    const r = await tp.remove(String(id), ctx.user.id, ctx.now);
    return [text(`已将${thirdPartyLabel(r.person)}移出第三方名册${r.sessions ? `，并取消其今后的 ${r.sessions} 场接访安排` : ''}。`)];
  }, ['admin']);
  router.action(REMOVE_ACTIONS.keep, async (ctx) => {
    const person = await tp.byId(Number(ctx.incoming.value.id));
    return [text(`好的，${person ? thirdPartyLabel(person) : '该人员'}仍在第三方名册中，今后的接访安排不变。`)];
  }, ['admin']);
}

async function registered(tp: ThirdPartyService, input: ThirdPartyInput, ctx: Context): Promise<Outgoing[]> {
  const p = await tp.register(input, ctx.user.id, ctx.now);
  return [text(`已登记进第三方名册：${thirdPartyLabel(p)}，电话 ${maskPhone(p.phone)}，编号 ${p.id}。安排参加接访：安排第三方 接访编号 ${p.name}`)];
}

function sessionAndWho(args: string, word: string): [string, string] {
  const m = /^(\S+)\s+(.+)$/.exec(args.trim());
  if (!m) throw new UserError(`请写明接访编号和姓名，例如：${word} 12 林书恒`);
  return [m[1], m[2].trim()];
}

const BLOCK_KEYS: Record<string, keyof ThirdPartyInput> = {
  姓名: 'name', 名字: 'name', 类别: 'kind', 类型: 'kind', 身份: 'kind', 单位: 'organisation', 所在单位: 'organisation', 工作单位: 'organisation',
  机构: 'organisation', 律所: 'organisation', 电话: 'phone', 手机: 'phone', 联系电话: 'phone',
};

/**
 * What follows 第三方登记: a block of `字段：值` lines (姓名、类别、单位、电话), or one line of words
 * (the kind, the name, the unit, the phone, in any order but the name before the unit).
 */
export function parseRegistration(typed: string): ThirdPartyInput {
  // Full-width digits and signs (１３８…, －) typed on a phone keyboard read as ASCII; \s takes the full-width space.
  const args = typed.replace(/[０-９＋－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const out: ThirdPartyInput = { name: '', kind: '', organisation: '', phone: '' };
  if (/[:：]/.test(args)) {
    for (const line of args.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^([^:：]+)[:：]\s*(.*)$/.exec(line);
      const key = m ? BLOCK_KEYS[m[1].trim()] : undefined;
      if (!m || !key) throw new UserError(`看不懂“${line.slice(0, 30)}”：每行写“字段：值”，字段为 姓名、类别、单位、电话。`);
      out[key] = m[2].trim();
    }
  } else {
    const rest: string[] = [];
    for (const w of args.split(/\s+/).filter(Boolean)) {
      if (!out.kind && parseThirdPartyKind(w)) out.kind = w;
      // Any word of digits is the phone, checked (and refused by name: 手机号应为11位数字) when registered.
      else if (!out.phone && /^[+\d][\d\-()（）]*$/.test(w) && (w.match(/\d/g) ?? []).length >= 3) out.phone = w;
      else rest.push(w);
    }
    // No known kind but a word before the name (第三方登记 会计师 王五 …): that word was meant as the kind, refused with the allowed ones.
    if (!out.kind && rest.length >= 2) out.kind = rest.shift()!;
    out.name = rest.shift() ?? '';
    out.organisation = rest.join(' ');
  }
  const missing = [['姓名', out.name], ['类别', out.kind], ['电话', out.phone]].filter(([, v]) => !v).map(([k]) => k);
  if (missing.length) throw new UserError(`缺少${missing.join('、')}，未登记。例如：${REGISTER_EXAMPLE}`);
  return out;
}
