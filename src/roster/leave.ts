import { parseIsoDate } from '../platform/calendar/domain';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Unavailability } from './domain';
import type { LeaderStore } from './leader-store';
import type { Db } from './store-rows';

/** Records a leader's leave (plan leave, 请假登记): the plan generator avoids those days, a deputy may be named. */
export async function addLeave(leaders: LeaderStore, u: Unavailability, now: Date, db?: Db): Promise<Unavailability> {
  const from = parseIsoDate(u.from);
  const to = parseIsoDate(u.to);
  if (to < from) throw new UserError('结束日期不能早于开始日期');
  if (!(await leaders.getLeader(u.leaderId, db))) throw new NotFoundError(`没有领导“${u.leaderId}”`);
  if (u.deputyId && !(await leaders.getLeader(u.deputyId, db))) throw new NotFoundError(`没有代班领导“${u.deputyId}”`);
  if (u.deputyId === u.leaderId) throw new UserError('代班领导不能是本人');
  const leave = { ...u, from, to };
  await leaders.addUnavailability(leave, now, db);
  return leave;
}
