import type { Context } from '../platform/chat/router';
import type { IncomingAction } from '../platform/chat/messages';
import { UserError } from '../platform/errors/user-error';

/** The group the roster's commands are listed under in 帮助. */
export const GROUP = '接访下访';

/** A session (or request) number as typed or carried by a button: 12, #12 or 编号12. */
export function sessionIdArg(s: unknown, what = '接访编号'): number {
  const t = String(s ?? '').trim().replace(/^#|^编号/, '');
  if (!/^\d{1,9}$/.test(t)) throw new UserError(`${what}“${String(s ?? '')}”无效，应为数字（接访卡片上的“编号”）`);
  return Number(t);
}

/** A field of a submitted card form, as trimmed text ('' when absent). */
export function formText(ctx: Context<IncomingAction>, name: string): string {
  const v = ctx.incoming.formValue?.[name];
  return typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v);
}
