import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Knex } from 'knex';
import { runTransaction } from '../platform/database/transaction';
import { fromDbTime, toDbTime } from '../platform/database/time';

export const FEED_KINDS = ['leader', 'venue', 'deadlines'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export const FEED_KIND_NAMES: Record<FeedKind, string> = {
  leader: '领导个人接访日程',
  venue: '接访地点日程',
  deadlines: '承办单位办理期限',
};

/**
 * 24 random bytes: 192 bits, 32 base64url characters, never starting with “-”: its prefix is what
 * an admin types after `xinfang feeds token revoke`, where a leading “-” would read as an option.
 */
function newSecret(): string {
  for (;;) {
    const s = randomBytes(TOKEN_BYTES).toString('base64url');
    if (!s.startsWith('-')) return s;
  }
}

/** 24 random bytes: 192 bits, 32 base64url characters. */
const TOKEN_BYTES = 24;
/**
 * Characters of the token kept in clear for lists (6 × 6 = 36 bits), which leaves 156 unknown
 * bits: far more than the 128 a guess would have to beat.
 */
export const PREFIX_LENGTH = 6;
/** Longer input is not a token; it is cut before hashing so a huge path costs nothing extra. */
const MAX_TOKEN_INPUT = 256;

export interface FeedToken {
  id: number;
  kind: FeedKind;
  subject: string;
  label: string | null;
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A token as created: the secret is shown once and never stored. */
export interface CreatedFeedToken {
  token: FeedToken;
  secret: string;
}

export class FeedTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedTokenError';
  }
}

export function isFeedKind(s: string): s is FeedKind {
  return (FEED_KINDS as readonly string[]).includes(s);
}

export function hashFeedToken(secret: string): string {
  return createHash('sha256').update(secret.slice(0, MAX_TOKEN_INPUT), 'utf8').digest('hex');
}

const DUMMY_HASH = Buffer.alloc(32);

/**
 * Feed subscription tokens (one per subscriber), stored as SHA-256 hashes. Looking one up costs
 * the same whether it is unknown, revoked, of another kind or valid: one hash, one indexed
 * query for the hash, one constant-time compare, one decision at the end.
 */
export class FeedTokenStore {
  constructor(private readonly db: Knex) {}

  async create(
    input: { kind: FeedKind; subject: string; label?: string | null; createdBy?: string | null },
    now = new Date(),
    trx?: Knex.Transaction,
  ): Promise<CreatedFeedToken> {
    const db = trx ?? this.db;
    const secret = newSecret();
    const row = {
      token_hash: hashFeedToken(secret),
      prefix: secret.slice(0, PREFIX_LENGTH),
      kind: input.kind,
      subject: input.subject,
      label: input.label ?? null,
      created_by: input.createdBy ?? null,
      created_at: toDbTime(now),
      revoked_at: null,
    };
    const [id] = await db('feed_tokens').insert(row);
    return { token: toToken({ id, ...row }), secret };
  }

  /**
   * The token's row when it is valid for this kind; null otherwise. Every input takes the same
   * path: no early return for a malformed, unknown, revoked or mismatched token.
   */
  async resolve(kind: string, secret: string): Promise<FeedToken | null> {
    const hash = hashFeedToken(String(secret ?? ''));
    const row = await this.db('feed_tokens').where({ token_hash: hash }).first();
    const stored = row ? Buffer.from(String(row.token_hash), 'hex') : DUMMY_HASH;
    const given = Buffer.from(hash, 'hex');
    const same = stored.length === given.length && timingSafeEqual(stored, given);
    const valid = same && row !== undefined && row.revoked_at === null && row.kind === kind;
    return valid ? toToken(row) : null;
  }

  async list(opts: { includeRevoked?: boolean } = {}): Promise<FeedToken[]> {
    const q = this.db('feed_tokens').orderBy('id');
    if (!opts.includeRevoked) q.whereNull('revoked_at');
    return (await q).map(toToken);
  }

  /** Active tokens of one subscriber. */
  async activeFor(kind: FeedKind, subject: string): Promise<FeedToken[]> {
    const rows = await this.db('feed_tokens').where({ kind, subject }).whereNull('revoked_at').orderBy('id');
    return rows.map(toToken);
  }

  /** Finds one token by its id or the start of its prefix; ambiguous or unknown input is an error. */
  async find(idOrPrefix: string, db: Knex | Knex.Transaction = this.db): Promise<FeedToken> {
    const key = idOrPrefix.trim();
    if (!key) throw new FeedTokenError('请给出令牌的编号或前缀');
    let rows: any[] = [];
    if (/^\d+$/.test(key)) rows = await db('feed_tokens').where({ id: Number(key) });
    if (!rows.length && /^[A-Za-z0-9_-]{3,}$/.test(key)) {
      const p = key.slice(0, PREFIX_LENGTH);
      // Compared again in code: MySQL's default collation ignores case, tokens do not.
      rows = (await db('feed_tokens').where({ prefix: p })).filter((r: any) => String(r.prefix) === p);
      if (key.length > PREFIX_LENGTH) rows = rows.filter((r: any) => hashFeedToken(key) === r.token_hash);
    }
    if (!rows.length) throw new FeedTokenError(`找不到令牌“${key}”（可用 xinfang feeds token list 查看编号和前缀）`);
    if (rows.length > 1) {
      const active = rows.filter((r) => r.revoked_at === null);
      if (active.length === 1) return toToken(active[0]);
      throw new FeedTokenError(`前缀“${key}”对应多个令牌（编号 ${rows.map((r) => r.id).join('、')}），请改用编号`);
    }
    return toToken(rows[0]);
  }

  /** Revokes a token; revoking one already revoked changes nothing and says so. */
  async revoke(idOrPrefix: string, now = new Date()): Promise<{ token: FeedToken; already: boolean }> {
    return runTransaction(this.db, async (trx) => {
      const token = await this.find(idOrPrefix, trx);
      if (token.revokedAt) return { token, already: true };
      await trx('feed_tokens').where({ id: token.id }).whereNull('revoked_at').update({ revoked_at: toDbTime(now) });
      return { token: { ...token, revokedAt: now }, already: false };
    });
  }

  /** Revokes every active token of a subscriber and creates a new one, in one transaction. */
  async rotateFor(
    input: { kind: FeedKind; subject: string; label?: string | null; createdBy?: string | null },
    now = new Date(),
  ): Promise<CreatedFeedToken & { revoked: number }> {
    return runTransaction(this.db, async (trx) => {
      const revoked = await trx('feed_tokens')
        .where({ kind: input.kind, subject: input.subject })
        .whereNull('revoked_at')
        .update({ revoked_at: toDbTime(now) });
      const created = await this.create(input, now, trx);
      return { ...created, revoked: Number(revoked) };
    });
  }

  /** Revokes one token and creates its replacement for the same subscriber and label. */
  async rotate(idOrPrefix: string, createdBy: string | null, now = new Date()): Promise<CreatedFeedToken & { old: FeedToken }> {
    return runTransaction(this.db, async (trx) => {
      const old = await this.find(idOrPrefix, trx);
      if (old.revokedAt) throw new FeedTokenError(`令牌 ${old.id}（${old.prefix}…）已停用，不能轮换；请新建一个`);
      await trx('feed_tokens').where({ id: old.id }).update({ revoked_at: toDbTime(now) });
      const created = await this.create({ kind: old.kind, subject: old.subject, label: old.label, createdBy }, now, trx);
      return { ...created, old };
    });
  }
}

function toToken(r: any): FeedToken {
  return {
    id: Number(r.id),
    kind: r.kind,
    subject: r.subject,
    label: r.label ?? null,
    prefix: r.prefix,
    createdBy: r.created_by ?? null,
    createdAt: fromDbTime(r.created_at)!,
    revokedAt: fromDbTime(r.revoked_at),
  };
}
