import type { DeadlineKind } from './case-status';

/**
 * Anonymous and unidentified petitions (匿名信访, 身份不明). A letter signed 匿名, or a call or an
 * online petition with neither an ID number nor a phone, is still registered, but only for the
 * channels where nobody stands before the clerk: 来信, 网上信访, 电话 (条例 arts. 17 and 21 list
 * them; at a 来访 or a 领导接访 the person is there and is asked who they are).
 *
 * - 匿名: no name (the name is 匿名, or said so: 无名氏, 未署名, 不愿透露姓名 …);
 * - 身份不明: a name, but neither ID number nor phone, so the person cannot be identified.
 * Both are stored as cases.anonymous = true; which of the two follows from the name.
 *
 * Such a petitioner may be unreachable; then the periods owed *to the petitioner* are not counted
 * (see PETITIONER_DEADLINES), while the bureau's and the units' own handling periods are.
 */

/** The channels a petition may be registered on without knowing who sent it. */
export const ANONYMOUS_CHANNELS = ['来信', '网上信访', '电话'] as const;

/** The name stored for a petitioner who gave none. */
export const ANONYMOUS_NAME = '匿名';

const ANONYMOUS_WORDS = /^(?:匿名(?:信|者|人|来信|信访)?|无名氏|佚名|未署名|不署名|没有署名|无署名|(?:不愿|不肯|拒绝|未)透露(?:姓名)?|不愿留名|未留名)$/;

/** Whether what was given as a name says there is none (匿名, 无名氏, 不愿透露姓名 …). */
export function isAnonymousName(name: string | null | undefined): boolean {
  return ANONYMOUS_WORDS.test(String(name ?? '').normalize('NFKC').replace(/[\s\u3000。.，,]/g, ''));
}

/** Whether the petition is anonymous or unidentified: no name, or neither ID number nor phone. */
export function isAnonymousPetition(p: { name?: string | null; idNumber?: string | null; phone?: string | null }): boolean {
  return isAnonymousName(p.name) || (!p.idNumber && !p.phone);
}

/** 匿名 (no name) or 身份不明 (a name without ID number or phone). */
export function anonymousKind(name: string | null | undefined): '匿名' | '身份不明' {
  return isAnonymousName(name) ? '匿名' : '身份不明';
}

export function allowsAnonymous(channel: string | null | undefined): boolean {
  return (ANONYMOUS_CHANNELS as readonly string[]).includes(String(channel ?? ''));
}

/**
 * Why an anonymous or unidentified petition cannot be registered on this channel, or null when it
 * may. `field` is what the clerk should fill in.
 */
export function anonymousRefusal(p: { name?: string | null; idNumber?: string | null; phone?: string | null; channel?: string | null }): { field: 'name' | 'idNumber'; reason: string } | null {
  if (!isAnonymousPetition(p) || allowsAnonymous(p.channel)) return null;
  const where = p.channel ? `“${p.channel}”的信访人就在现场` : '来访的信访人就在现场';
  const allowed = `匿名或身份不明的只能按${ANONYMOUS_CHANNELS.join('、')}登记`;
  if (isAnonymousName(p.name)) {
    return { field: 'name', reason: `${where}，不能匿名登记：请核实并填写其姓名，以及身份证号或联系电话（${allowed}）。` };
  }
  return { field: 'idNumber', reason: `身份证号和联系电话至少要填写一项：${where}，请核实其身份（用于联系信访人和识别重复信访；${allowed}）。` };
}

/**
 * The deadlines owed to the petitioner or running for the petitioner, not to the bureau:
 * - acceptance_notice (art. 23): the written notice to the petitioner whether the matter is accepted;
 * - review_request (art. 35), recheck_request (art. 36): the petitioner's windows, which start from
 *   a written reply the petitioner received.
 * The bureau's decision (art. 22: 转送/交办 within 15 days), the conclusion period (art. 34: the
 * matter is handled within 60 days) and the review decisions are the bodies' own duties: kept.
 */
export const PETITIONER_DEADLINES: readonly DeadlineKind[] = ['acceptance_notice', 'review_request', 'recheck_request'];

/**
 * Whether a notice can reach the petitioner: always for an identified one; for an anonymous one
 * only with a phone or a postal address (an unsigned letter with a return address is answered by post).
 */
export function petitionerReachable(p: { anonymous?: boolean; phone?: string | null; address?: string | null }): boolean {
  if (!p.anonymous) return true;
  return Boolean((p.phone ?? '').trim() || (p.address ?? '').trim());
}

/** A petitioner nothing can reach: anonymous or unidentified, with neither phone nor postal address. */
export function petitionerUnreachable(p: { anonymous?: boolean; phone?: string | null; address?: string | null }): boolean {
  return !petitionerReachable(p);
}

/**
 * What the bureau and the unit read of such a petitioner instead of "书面告知信访人" / "答复信访人":
 * no notice and no reply is owed (nobody can receive one); the handling periods still run.
 */
export function unreachableNote(p: { name?: string | null }): string {
  return `信访人${anonymousKind(p.name)}且未留联系方式，无法联系：无须书面告知或答复信访人，受理和办结期限照常计算，办理结果存档备查`;
}
