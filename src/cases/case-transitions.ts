import { shanghaiDate } from '../platform/calendar/domain';
import { runTransaction } from '../platform/database/transaction';
import { ForbiddenError, NotFoundError, UserError } from '../platform/errors/user-error';
import type { User } from '../platform/directory/user-store';
import { computeDeadlines } from './domain/case-deadlines';
import { ACTION_FROM, applyTransition, CaseAction, CaseCommand } from './domain/case-lifecycle';
import { isBureau, permissionError } from './domain/case-access';
import { requireCaseNo } from './case-number';
import { CaseRecord, stateOf, toRecord, TransitionOutcome } from './case-records';
import type { CaseContext } from './case-context';
import { CaseNotifications } from './case-notifications';

/** A unit's own decisions on a case assigned to it: staff may record them on its behalf, and the unit is then told. */
const UNIT_DECISIONS: readonly CaseAction[] = ['unitAccept', 'unitReject', 'unitReturn'];

/** Answers every input so that any action reaches the state check (for precheck, before the form). */
const PLACEHOLDER = { reason: '-', organ: '-', unit: '-', days: 1, summary: '-', note: '-', leaderId: '\u0000' };

/** 受理, 不予受理, 交办, 转送, 延期, 办结… on a case: checked, stored, audited and told, in one transaction. */
export class CaseTransitions {
  private readonly notifications: CaseNotifications;

  constructor(private readonly c: CaseContext) {
    this.notifications = new CaseNotifications(c);
  }

  /** 承办单位 to pick from when 交办 (config/reference.json). */
  units(): string[] {
    return this.c.core.reference().units;
  }

  /** Users with the role leader, for 包案. */
  async leaders(): Promise<User[]> {
    return this.c.core.users.listByRole('leader');
  }

  /**
   * Takes an action on a case for a user. The user's role and the case's present state are read
   * again inside the transaction (with the row locked), whatever the card said. The change, the
   * recomputed deadlines, the audit row and any message it causes are written together.
   */
  async transition(caseNo: string, cmd: CaseCommand, user: User): Promise<TransitionOutcome> {
    const no = requireCaseNo(caseNo);
    const actor = await this.c.actorFor(user);
    const now = this.c.core.now();
    const today = shanghaiDate(now);
    const warnings: string[] = [];
    const leader = await this.checkInput(cmd);
    // Read before the transaction: the chat directory is not read through it (SQLite has one connection).
    const bureauChats = cmd.action === 'unitReturn' ? (await this.c.core.chats.forRole('bureau')).map((chat) => chat.id) : [];
    let onBehalfOf: string | null = null;

    const result = await runTransaction(this.c.core.db, async (trx) => {
      warnings.length = 0; // a retried transaction starts over
      onBehalfOf = null;
      // Before the case's lock (a holiday import takes the calendar's first, then the cases'): the calendar in force.
      await this.c.core.calendar.ensureCurrent(trx);
      const row = await this.c.cases.lockByNo(trx, no);
      if (!row) throw new NotFoundError(`没有编号为 ${no} 的案件`);
      const denied = permissionError(actor, row, cmd.action);
      if (denied) throw new ForbiddenError(denied);
      const r = applyTransition(stateOf(row, await this.c.deadlines.ofCase(row.id, trx)), cmd, today);
      if (!r.ok) throw new UserError(r.error);
      if (isBureau(actor) && UNIT_DECISIONS.includes(cmd.action)) onBehalfOf = row.unit;

      if (!(await this.c.cases.update(trx, row.id, row.status, r.change, now))) {
        throw new UserError(`案件 ${no} 刚被他人更新，请重新查询后再操作`);
      }
      const updated = (await this.c.cases.getById(row.id, trx))!;
      await this.c.deadlines.save(trx, row.id, computeDeadlines(updated, this.c.period), now);
      await this.c.events.add(trx, {
        caseId: row.id, action: cmd.action, fromStatus: r.from, toStatus: r.to, actorId: user.id, reason: r.reason, data: r.data, at: now,
      });
      await this.notifications.notify(trx, cmd.action, updated, { actorId: user.id, leader, bureauChats, onBehalfOf, actorName: user.name, reason: r.reason }, now, warnings);
      return { id: row.id, from: r.from, to: r.to };
    });

    const record = toRecord((await this.c.cases.getById(result.id))!);
    return { record, from: result.from, to: result.to, action: cmd.action, warnings, onBehalfOf };
  }

  /**
   * Input that depends on other data, checked before the transaction: the unit of 交办 must be in
   * the list, the leader of 包案 a leader. Returns that leader.
   */
  private async checkInput(cmd: CaseCommand): Promise<User | null> {
    if (cmd.action === 'assign') {
      const unit = String(cmd.unit ?? '').trim();
      if (unit && !this.units().includes(unit)) throw new UserError(`承办单位“${unit}”不在单位名录中，请从列表中选择`);
    }
    if (cmd.action !== 'own') return null;
    const leader = cmd.leaderId ? await this.c.core.users.get(String(cmd.leaderId)) : null;
    if (cmd.leaderId && (!leader || leader.role !== 'leader')) throw new UserError('所选包案领导不存在或不是领导角色，请从列表中选择');
    return leader;
  }

  /**
   * Which of the actions one word can mean (受理: the bureau's accept or a unit's unitAccept) this
   * user takes on the case now: the first allowed to them and legal in the case's state, like the
   * card's buttons; else the first allowed to them (or the first), so that the transition refuses
   * it with its own reason.
   */
  async pickAction(caseNo: string, candidates: readonly CaseAction[], user: User): Promise<CaseAction> {
    const no = requireCaseNo(caseNo);
    const row = await this.c.cases.getByNo(no);
    if (!row) throw new NotFoundError(`没有编号为 ${no} 的案件`);
    const actor = await this.c.actorFor(user);
    const allowed = candidates.filter((a) => permissionError(actor, row, a) === null);
    return allowed.find((a) => ACTION_FROM[a].includes(row.status)) ?? allowed[0] ?? candidates[0];
  }

  /**
   * Whether the user may take this action on the case now, before asking them for input (a form):
   * throws the same refusal the transition would, minus the input checks.
   */
  async precheck(caseNo: string, action: CaseAction, user: User): Promise<CaseRecord> {
    const no = requireCaseNo(caseNo);
    const row = await this.c.cases.getByNo(no);
    if (!row) throw new NotFoundError(`没有编号为 ${no} 的案件`);
    const actor = await this.c.actorFor(user);
    const denied = permissionError(actor, row, action);
    if (denied) throw new ForbiddenError(denied);
    const placeholder = { action, ...PLACEHOLDER } as CaseCommand;
    const r = applyTransition(stateOf(row, await this.c.deadlines.ofCase(row.id)), placeholder, this.c.today());
    if (!r.ok) throw new UserError(r.error);
    return toRecord(row);
  }
}
