import { addDays, formatChineseDate, IsoDate, shanghaiDate, weekday } from '../calendar/domain';
import type { Core, JobDefinition, LateSend } from '../core/feature';
import { runTransaction } from '../database/transaction';
import { markLate } from '../jobs/late-send';
import { enqueueMessages, outboxStatusesBySource } from '../outbox/outbox-store';
import { reportCard } from './doctor-format';
import { holidayFindings } from './platform-checks';

/** The Monday of a date's week (weeks run Monday to Sunday). */
export function weekOf(date: IsoDate): IsoDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/**
 * `doctor-weekly`, Mondays at 09:00: while next year's (or this year's) holidays are missing, one
 * card to each admin, once per week. The week's outbox source (doctor-weekly:<Monday>) is the
 * mark: a second run in the same week (a catch-up, `jobs run`) finds it and sends nothing.
 */
export function doctorWeeklyJob(core: Core): JobDefinition {
  return {
    name: 'doctor-weekly',
    cron: '0 9 * * 1',
    description: '每周一 9:00：明年（或今年）节假日安排未导入时提醒管理员，导入后不再提醒',
    run: (now, ctx) => sendWeekly(core, now, ctx?.late),
  };
}

async function sendWeekly(core: Core, now: Date, late: LateSend | undefined): Promise<string> {
  const findings = holidayFindings(core, now);
  if (!findings.length) return '节假日安排已齐全，无需提醒';
  const admins = await core.users.listByRole('admin');
  if (!admins.length) return '没有登记管理员，未发送提醒';
  const monday = weekOf(shanghaiDate(now));
  const source = `doctor-weekly:${monday}`;
  const content = markLate(
    reportCard(
      { checkedAt: now, findings },
      { title: '系统检查提醒：节假日安排未导入', footer: '导入后不再提醒。发送“系统检查”查看全部检查结果。' },
    ),
    late,
  );
  const sent = await runTransaction(core.db, async (trx) => {
    if ((await outboxStatusesBySource(trx, [source])).size) return false;
    await enqueueMessages(trx, admins.map((a) => ({ receiveIdType: 'open_id' as const, receiveId: a.id, msgType: 'interactive' as const, content, source })), now);
    return true;
  });
  const week = `${formatChineseDate(monday, false)}起的一周`;
  return sent ? `已向 ${admins.length} 位管理员发送节假日提醒（${week}）` : `${week}已提醒过，不再发送`;
}
