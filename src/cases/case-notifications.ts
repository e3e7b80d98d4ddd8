import type { Knex } from 'knex';
import type { IsoDate } from '../platform/calendar/domain';
import { shanghaiDate } from '../platform/calendar/domain';
import { enqueueMessage } from '../platform/outbox/outbox-store';
import type { User } from '../platform/directory/user-store';
import type { CaseAction } from './domain/case-lifecycle';
import { Actor, availableActions } from './domain/case-access';
import { buildCaseCard } from './case-cards';
import { linkOf, stateOf, toDeadlineView, toRecord } from './case-records';
import type { CaseRow } from './case-store';
import type { CaseContext } from './case-context';

const ASSIGNED_NOTE = `新交办案件：请在期限内受理并书面告知信访人（《信访工作条例》第二十三条）`;
const SUPERVISED_NOTE = `该案件已被挂牌督办，请按期办结并书面报告办理结果`;
const OWNER_NOTE = `您已被确定为本案的包案领导（《信访工作条例》第十八条）`;

/** Why a 交办 card went to people one by one, or to nobody: the unit has no group. */
function noGroupWarning(unit: string, people: number): string {
  return people
    ? `${unit}还没有登记工作群，已改为逐一发给该单位的 ${people} 位用户。请用 xinfang chats add --unit 登记该单位的群。`
    : `${unit}还没有登记工作群，也没有该单位的用户，交办卡片无人接收。请用 xinfang chats add --unit 登记该单位的群。`;
}

/**
 * The messages a transition causes, queued in its transaction (the outbox sends them): the case
 * card to the unit on 交办 and 挂牌督办, and to the leader on 包案.
 */
export class CaseNotifications {
  constructor(private readonly c: CaseContext) {}

  async notify(trx: Knex.Transaction, action: CaseAction, row: CaseRow, leader: User | null, now: Date, warnings: string[]): Promise<void> {
    if ((action === 'assign' || action === 'supervise') && row.unit) {
      const warning = await this.toUnit(trx, action, row, row.unit, now);
      if (warning) warnings.push(warning);
    }
    if (action === 'own' && leader) await this.toLeader(trx, row, leader, now);
  }

  /** The unit's groups get the card; without a group, each user of the unit in person, so the case is not lost. */
  private async toUnit(trx: Knex.Transaction, action: 'assign' | 'supervise', row: CaseRow, unit: string, now: Date): Promise<string | null> {
    const unitActor: Actor = { id: `unit:${unit}`, role: 'unit', unit, towns: [] };
    const content = await this.cardJson(trx, row, unitActor, shanghaiDate(now), action === 'assign' ? ASSIGNED_NOTE : SUPERVISED_NOTE);
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
