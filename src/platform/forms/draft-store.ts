import { isDuplicateKey } from '../database/duplicate-key';
import type { Knex } from 'knex';
import { fromDbTime, toDbTime } from '../database/time';

/** An open form: its dialog state (plain JSON) and the version it was read at. */
export interface Draft<S = unknown> {
  userId: string;
  chatId: string;
  form: string;
  state: S;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

/** Someone else (another replica, a second message) saved this draft first. */
export class DraftConflictError extends Error {
  constructor() {
    super('draft changed concurrently');
    this.name = 'DraftConflictError';
  }
}


/**
 * form_drafts, keyed by (user, chat). Every write after the first is a compare-and-set on
 * `version`, so of two turns that read the same draft only one can save.
 */
export class DraftStore {
  constructor(private readonly db: Knex) {}

  async get<S = unknown>(userId: string, chatId: string): Promise<Draft<S> | null> {
    const row = await this.db('form_drafts').where({ user_id: userId, chat_id: chatId }).first();
    return row ? toDraft<S>(row) : null;
  }

  /** A new draft at version 1; DraftConflictError when one is already open for this user and chat. */
  async create<S>(userId: string, chatId: string, form: string, state: S, now: Date, ttlMs: number): Promise<Draft<S>> {
    const t = toDbTime(now);
    const row = {
      user_id: userId, chat_id: chatId, form, state: JSON.stringify(state), version: 1,
      created_at: t, updated_at: t, expires_at: toDbTime(new Date(now.getTime() + ttlMs)),
    };
    try {
      await this.db('form_drafts').insert(row);
    } catch (err: any) {
      if (isDuplicateKey(err)) throw new DraftConflictError();
      throw err;
    }
    return toDraft<S>(row);
  }

  /**
   * Saves the state if the draft is still at `draft.version`, and moves its expiry on.
   * Returns the saved draft, or null when another turn saved (or deleted) it first.
   */
  async save<S>(draft: Draft<unknown>, state: S, now: Date, ttlMs: number): Promise<Draft<S> | null> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const n = await this.db('form_drafts')
      .where({ user_id: draft.userId, chat_id: draft.chatId, version: draft.version })
      .update({ state: JSON.stringify(state), version: draft.version + 1, updated_at: toDbTime(now), expires_at: toDbTime(expiresAt) });
    if (Number(n) !== 1) return null;
    return { ...draft, state, version: draft.version + 1, updatedAt: now, expiresAt };
  }

  /** Deletes the draft; with a version, only if it is still at that version. True when a row went. */
  async remove(userId: string, chatId: string, version?: number): Promise<boolean> {
    const q = this.db('form_drafts').where({ user_id: userId, chat_id: chatId });
    if (version !== undefined) q.andWhere({ version });
    return Number(await q.delete()) > 0;
  }

  /** Deletes drafts that expired before `before` (housekeeping: stale drafts hold personal data). */
  async purgeExpired(before: Date): Promise<number> {
    return Number(await this.db('form_drafts').where('expires_at', '<', toDbTime(before)).delete());
  }
}

function toDraft<S>(r: any): Draft<S> {
  return {
    userId: r.user_id,
    chatId: r.chat_id,
    form: r.form,
    state: JSON.parse(r.state) as S,
    version: Number(r.version),
    createdAt: fromDbTime(r.created_at)!,
    updatedAt: fromDbTime(r.updated_at)!,
    expiresAt: fromDbTime(r.expires_at)!,
  };
}
