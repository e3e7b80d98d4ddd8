import type { Knex } from 'knex';
import { formatChineseDate, shanghaiDate } from '../platform/calendar/domain/dates';
import {
  ANONYMOUS_CHANNELS, anonymousKind, CaseRecord, isAnonymousPetition, OPEN_STATUSES, petitionerReachable, RepeatCaseQueries, RepeatReason,
} from '../cases';
import type { PetitionValues } from './domain/petition-fields';

/** An earlier case and why it is taken as the same petitioner's (or the same matter's). */
export interface RepeatLink {
  record: CaseRecord;
  reason: RepeatReason | string;
}

/** Whether 匿名/身份不明 may be registered on this channel (来信, 网上信访, 电话). */
export const allowsAnonymousChannel = (channel: string | undefined) => (ANONYMOUS_CHANNELS as readonly string[]).includes(channel ?? '');

const isOpen = (r: CaseRecord) => (OPEN_STATUSES as readonly string[]).includes(r.status);
const item = (r: CaseRecord) => `${r.caseNo}（${r.statusLabel}，${formatChineseDate(r.receivedDate, false)}登记，${r.category}）`;

/**
 * The lines about earlier cases (重复信访, 条例 art. 36), in-progress ones first: the same
 * petitioner's (same ID number, or name and phone), then, for an anonymous petition, the cases of
 * similar content. Shown on the summary before 确认 and on the saved case. No personal data.
 */
export function repeatLines(links: ReadonlyArray<RepeatLink | CaseRecord>): string[] {
  const all = links.map((l) => ('record' in l ? l : { record: l, reason: 'id_number' }));
  const same = all.filter((l) => l.reason !== 'content').map((l) => l.record);
  const similar = all.filter((l) => l.reason === 'content').map((l) => l.record);
  const lines: string[] = [];
  const open = same.filter(isOpen);
  const done = same.filter((r) => !isOpen(r));
  if (open.length) lines.push(`该信访人已有 ${open.length} 件在办事项：${open.map(item).join('；')}`);
  if (done.length) lines.push(`${open.length ? '另有' : '该信访人已有'} ${done.length} 件已结事项：${done.map(item).join('；')}`);
  if (similar.length) {
    lines.push(`内容相近的既往信访件 ${similar.length} 件：${similar.map(item).join('；')}（匿名、身份不明的无法按身份证号核对，按问题属地、类别和内容比对，请核实是否为同一事项）`);
  }
  const ended = [...same, ...similar].filter((r) => r.status === 'closed');
  if (ended.length) {
    lines.push(
      `注意：${ended.map((r) => r.caseNo).join('、')} 已经复核终结。依《信访工作条例》第三十六条，信访人就同一事项再次提出的，` +
        '不再受理；请核实是否为同一事项，是则作“不予受理”并告知信访人。',
    );
  }
  if (lines.length) lines.push('属重复信访的，请按规定合并办理或告知信访人。');
  return lines;
}

/** Whether the answers make an anonymous or unidentified petition (no name, or neither ID number nor phone). */
export function isAnonymousAnswer(v: PetitionValues): boolean {
  return isAnonymousPetition({ name: v.name, idNumber: v.idNumber ?? null, phone: v.phone ?? null });
}

/**
 * The line that says a petition is 匿名/身份不明 and what that changes, or null for an identified one
 * (or a channel where it will be refused anyway).
 */
export function anonymousNote(v: PetitionValues): string | null {
  if (!isAnonymousAnswer(v) || !allowsAnonymousChannel(v.channel)) return null;
  const kind = anonymousKind(v.name);
  const who = kind === '匿名' ? '未署名' : '未留身份证号和联系电话';
  if (petitionerReachable({ anonymous: true, phone: v.phone ?? null, address: v.address ?? null })) {
    return `【${kind}】${v.channel}，${who}：按留下的${v.phone ? '电话' : '住址'}告知信访人，各项期限照常计算；重复信访按内容比对。`;
  }
  return `【${kind}】${v.channel}，${who}，无法联系信访人：不设告知受理、申请复查/复核等面向信访人的期限，受理/交办期限和办结期限照常计算（《信访工作条例》第二十二、三十四条）；重复信访按内容比对。`;
}

/**
 * The earlier cases this petition would be linked to on saving, for the summary before 确认; null
 * until the fields the match needs are answered.
 */
export async function earlierCasesFor(db: Knex, v: PetitionValues, now: Date): Promise<RepeatLink[] | null> {
  if (!v.name || !v.town || !v.category || !v.content) return null;
  const anonymous = isAnonymousAnswer(v);
  if (!anonymous && !v.idNumber && !v.phone) return null;
  return new RepeatCaseQueries(db).earlierCases({
    name: v.name, idNumber: v.idNumber ?? null, phone: v.phone ?? null, anonymous, content: v.content, town: v.town,
    category: v.category, receivedDate: shanghaiDate(v.receivedAt ? new Date(v.receivedAt) : now),
  });
}
