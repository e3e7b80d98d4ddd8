import { parseIsoDate } from '../platform/calendar/domain';
import { NotFoundError, UserError } from '../platform/errors/user-error';
import type { Unavailability } from './domain';
import type { LeaderStore } from './leader-store';

/** Records a leader's leave (plan leave): the plan generator avoids those days, a deputy may be named. */
export async function addLeave(leaders: LeaderStore, u: Unavailability, now: Date): Promise<void> {
  const from = parseIsoDate(u.from);
  const to = parseIsoDate(u.to);
  if (to < from) throw new UserError('结束日期不能早于开始日期');
  if (!(await leaders.getLeader(u.leaderId))) throw new NotFoundError(`没有领导“${u.leaderId}”`);
  if (u.deputyId && !(await leaders.getLeader(u.deputyId))) throw new NotFoundError(`没有代班领导“${u.deputyId}”`);
  if (u.deputyId === u.leaderId) throw new UserError('代班领导不能是本人');
  await leaders.addUnavailability({ ...u, from, to }, now);
}
