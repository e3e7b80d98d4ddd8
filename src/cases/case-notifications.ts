import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain';
import { shanghaiDate } from '../platform/calendar/domain';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import { maskPersonalDataInText } from '../platform/personal-data/masking';
import type { User } from '../platform/directory/user-store';
import { CASE_ACTION_LABELS, CaseAction } from './domain/case-lifecycle';
import { Actor, availableActions, isBureau } from './domain/case-access';
import { petitionerUnreachable, unreachableNote } from './domain/anonymous-petition';
import { buildCaseCard } from './case-cards';
import { linkOf, stateOf, toDeadlineView, toRecord } from './case-records';
import type { CaseRow } from './case-store';
import type { CaseContext } from './case-context';

const ASSIGNED_NOTE = `新交办案件：请在期限内受理并书面告知信访人（《信访工作条例》第二十三条）`;

/** The 交办 card's first line: an unreachable petitioner is owed no written notice, so it does not ask for one. */
function assignedNote(row: CaseRow): string {
  if (!petitionerUnreachable(row)) return ASSIGNED_NOTE;
  return `新交办案件：请在期限内受理并办理（《信访工作条例》第二十二、三十四条）。${unreachableNote(row)}`;
}
const SUPERVISED_NOTE = `该案件已被挂牌督办，请按期办结并书面报告办理结果`;
const OWNER_NOTE = `您已被确定为本案的包案领导（《信访工作条例》第十八条）`;

/**
 * Why a 交办 card went to people one by one, or to nobody: the unit has no group. Said in chat to
 * the person who acted: what they can do there (ask the admin), not a command line.
 */
export function noGroupWarning(unit: string, people: number): string {
  const fix = `请管理员把信访助手拉进${unit}的信访工作群，并把该群登记为${unit}的工作群。`;
  return people
    ? `${unit}还没有登记工作群，已改为逐一发给该单位的 ${people} 位用户。${fix}`
    : `${unit}还没有登记工作群，也没有该单位的用户，交办卡片无人接收。${fix}`;
}

/** What a transition's messages need besides the case: who acted, the leader of 包案, the bureau's groups (for 退回). */
export interface NotifyAbout {
  actorId: string;
  leader: User | null;
  bureauChats: readonly string[];
  /** A unit's decision recorded by the bureau for it: that unit, which is told. */
  onBehalfOf?: string | null;
  actorName?: string;
  /** The decision's reason (不予受理, 退回). */
  reason?: string | null;
}

/** 单位受理 → 受理: how a unit's decision reads when the bureau took it for the unit ("代县教育局受理"). */
export function behalfLabel(action: CaseAction): string {
  return CASE_ACTION_LABELS[action].replace(/^单位/, '');
}

/** How a card in the bureau's group offers its buttons: as to any staff member (each click is checked again). */
const BUREAU_VIEWER: Actor = { id: 'bureau', role: 'staff', unit: null, towns: [] };

/**
 * The messages a transition causes, queued in its transaction (the outbox sends them): the case
 * card to the unit on 交办 and 挂牌督办, to the leader on 包案, and back to the bureau on 退回.
 */
export class CaseNotifications {
  constructor(private readonly c: CaseContext) {}

  async notify(trx: Knex.Transaction, action: CaseAction, row: CaseRow, about: NotifyAbout, now: Date, warnings: string[]): Promise<void> {
    if ((action === 'assign' || action === 'supervise') && row.unit) {
      const warning = await this.toUnit(trx, action, row, row.unit, now);
      if (warning) warnings.push(warning);
    }
    if (action === 'own' && about.leader) await this.toLeader(trx, row, about.leader, now);
    if (action === 'unitReturn') warnings.push(await this.returned(trx, row, about, now));
    if (about.onBehalfOf) warnings.push(await this.toUnitOnBehalf(trx, action, row, about.onBehalfOf, about, now));
  }

  /**
   * The bureau recorded the unit's decision for it (受理, 不予受理, 退回): the unit hears of it — on
   * 受理 with the case card (it now handles the case), else in a line — in its groups, else its users.
   * Returns what the person who acted is told.
   */
  private async toUnitOnBehalf(trx: Knex.Transaction, action: CaseAction, row: CaseRow, unit: string, about: NotifyAbout, now: Date): Promise<string> {
    const who = `信访局${about.actorName ? `（${about.actorName}）` : ''}`;
    const line = `${who}已代${unit}${behalfLabel(action)}案件 ${row.caseNo}${about.reason ? `，理由：${maskPersonalDataInText(about.reason).replace(/[。！？]$/, '')}` : ''}。如有异议，请与信访局联系。`;
    const source = `case:${row.caseNo}:${action}:behalf`;
    const message = action === 'unitAccept'
      ? { msgType: 'interactive' as const, content: await this.cardJson(trx, row, { id: `unit:${unit}`, role: 'unit', unit, towns: [] }, shanghaiDate(now), `${line}请按期办结并答复信访人。`) }
      : { msgType: 'text' as const, content: { text: line } };
    const chats = (await this.c.core.chats.forUnit(unit, trx)).map((chat) => chat.id);
    for (const id of chats) await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: id, ...message, source }, now);
    if (chats.length) return `已告知${unit}（发到该单位的工作群）。`;
    const people = await this.c.core.users.unitUserIds(unit, trx);
    for (const id of people) await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: id, ...message, source }, now);
    return people.length
      ? `已告知${unit}的 ${people.length} 位用户（该单位还没有登记工作群）。`
      : `${unit}还没有登记工作群，也没有该单位的用户，未能告知该单位，请电话告知。`;
  }

  /**
   * 退回: the bureau hears of it with the case card (its reason, and the buttons to 交办 again) — the
   * staff member who assigned it in person, else the bureau's groups. Returns what the unit is told.
   */
  private async returned(trx: Knex.Transaction, row: CaseRow, about: NotifyAbout, now: Date): Promise<string> {
    const assigned = await this.c.events.lastOf(row.id, 'assign', trx);
    const unit = typeof assigned?.data?.unit === 'string' ? assigned.data.unit : '承办单位';
    const note = `${unit}退回了此案件，请重新交办、转送或由信访局自行受理`;
    const source = `case:${row.caseNo}:unitReturn`;
    const today = shanghaiDate(now);
    const assigner = assigned ? await this.c.core.users.get(assigned.actorId, trx) : null;
    if (assigner && isBureau(assigner)) {
      if (assigner.id === about.actorId) return '此案件由您本人交办，未另行通知。';
      const content = await this.cardJson(trx, row, await this.c.actorFor(assigner, trx), today, note);
      await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: assigner.id, msgType: 'interactive', content, source }, now);
      return `已把退回理由告知交办人${assigner.name}。`;
    }
    if (!about.bureauChats.length) return '信访局还没有登记工作群，也找不到交办人，退回消息无人接收。请联系信访局管理员登记信访局工作群。';
    const content = await this.cardJson(trx, row, BUREAU_VIEWER, today, note);
    for (const id of about.bureauChats) {
      await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: id, msgType: 'interactive', content, source }, now);
    }
    return '已把退回理由发到信访局工作群。';
  }

  /** The unit's groups get the card; without a group, each user of the unit in person, so the case is not lost. */
  private async toUnit(trx: Knex.Transaction, action: 'assign' | 'supervise', row: CaseRow, unit: string, now: Date): Promise<string | null> {
    const unitActor: Actor = { id: `unit:${unit}`, role: 'unit', unit, towns: [] };
    const content = await this.cardJson(trx, row, unitActor, shanghaiDate(now), action === 'assign' ? assignedNote(row) : SUPERVISED_NOTE);
    const source = `case:${row.caseNo}:${action}`;
    const chats = (await this.c.core.chats.forUnit(unit, trx)).map((chat) => chat.id);
    if (chats.length) {
      for (const id of chats) {
        await enqueueMessage(trx, { receiveIdType: 'chat_id', receiveId: id, msgType: 'interactive', content, source }, now);
      }
      return null;
    }
    const people = await this.c.core.users.unitUserIds(unit, trx);
    for (const id of people) {
      await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: id, msgType: 'interactive', content, source }, now);
    }
    return noGroupWarning(unit, people.length);
  }

  private async toLeader(trx: Knex.Transaction, row: CaseRow, leader: User, now: Date): Promise<void> {
    const leaderActor = await this.c.actorFor(leader, trx);
    const content = await this.cardJson(trx, row, leaderActor, shanghaiDate(now), OWNER_NOTE);
    await enqueueMessage(trx, { receiveIdType: 'open_id', receiveId: leader.id, msgType: 'interactive', content, source: `case:${row.caseNo}:own` }, now);
  }

  /** A masked card of the case for someone who is not in the conversation (a group, a leader). */
  private async cardJson(trx: Knex.Transaction, row: CaseRow, viewer: Actor, today: IsoDate, note: string): Promise<Record<string, unknown>> {
    const rows = await this.c.deadlines.ofCase(row.id, trx);
    const deadlines = rows.map((d) => toDeadlineView(d, today, this.c.isWorkingDay));
    const links = (await this.c.links.ofCase(row.id, trx)).map((l) => linkOf(toRecord(l.row)));
    const leaderName = row.leaderId ? (await this.c.core.users.get(row.leaderId, trx))?.name ?? null : null;
    const actions = availableActions(viewer, stateOf(row, rows), today);
    return buildCaseCard(toRecord(row), { deadlines, links, actions, reveal: false, leaderName, note });
  }
}
