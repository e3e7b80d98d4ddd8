/*
 * Database errors as a person reads them. Both drivers' errors carry the whole statement in their
 * message (knex puts it in front: "update `sessions` set … - Data too long …"), and the values in
 * it may be personal data or 240 KB of a spreadsheet cell: such a message is never shown. What
 * is shown is one Chinese line from the error's code; the statement goes to the log at debug
 * level at most.
 */

/** Error codes that say the database cannot be reached (as opposed to a query it refused). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED', 'SQLITE_CANTOPEN', 'SQLITE_IOERR',
]);

type DbErrorShape = { code?: unknown; name?: unknown; message?: unknown; sqlMessage?: unknown; sql?: unknown } | null;

/** Whether an error means the database is away (unreachable, shutting down, the pool starved), not a refused query. */
export function isDbUnavailable(err: unknown): boolean {
  const e = err as DbErrorShape;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.name === 'KnexTimeoutError') return true;
  return /ECONNREFUSED|Connection lost|connection is in closed state|Unable to acquire a connection|Knex: Timeout acquiring/i.test(String(e.message ?? ''));
}

/** A statement in a message: what knex puts before " - " of a driver's error. */
const SQL_TEXT = /\b(insert\s+(ignore\s+)?into|update\s+`|delete\s+from|select\s+.+\s+from|alter\s+table|create\s+table)\b/i;

/** Whether the error came from the database (or its message carries a statement). */
export function isDatabaseError(err: unknown): boolean {
  const e = err as DbErrorShape;
  if (!e || typeof e !== 'object') return false;
  const code = typeof e.code === 'string' ? e.code : '';
  return /^(ER_|SQLITE_)/.test(code) || typeof e.sqlMessage === 'string' || typeof e.sql === 'string' || e.name === 'SqliteError'
    || isDbUnavailable(err) || SQL_TEXT.test(String(e.message ?? ''));
}

/** The column a "too long" or "cannot be null" refusal names (a column name, never a value). */
function columnOf(e: DbErrorShape): string | null {
  const text = String(e?.sqlMessage ?? e?.message ?? '');
  // mysql2: "Data too long for column 'x'", "Column 'x' cannot be null"; SQLite: "NOT NULL constraint failed: t.x".
  const m = /column '(\w+)'/i.exec(text) ?? /constraint failed: \w+\.(\w+)/i.exec(text);
  return m ? m[1] : null;
}

/**
 * One Chinese line for a database error (no statement, no values), with what to do. Null when
 * the error did not come from the database.
 */
export function describeDatabaseError(err: unknown): string | null {
  if (!isDatabaseError(err)) return null;
  const e = err as DbErrorShape;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = String(e?.message ?? '');
  const tail = '本次操作没有完成（同一事务中的改动已撤销）。需要详情时加 LOG_LEVEL=debug 再运行一次。';
  if (isDbUnavailable(err)) return `数据库无法连接${code ? `（${code}）` : ''}：请检查 DATABASE_URL 的设置和数据库服务是否在运行。`;
  if (code === 'ER_DATA_TOO_LONG' || /SQLITE_TOOBIG|string or blob too big/i.test(code + message)) {
    const col = columnOf(e);
    return `数据库拒绝保存：${col ? `字段 ${col} ` : '某个字段'}的内容超过了长度上限。${tail}`;
  }
  if (code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return `数据库拒绝保存：与已有的记录重复。${tail}`;
  }
  if (code === 'ER_BAD_NULL_ERROR' || code === 'SQLITE_CONSTRAINT_NOTNULL') {
    const col = columnOf(e);
    return `数据库拒绝保存：${col ? `字段 ${col} ` : '某个必填字段'}不能为空。${tail}`;
  }
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR' || /no such (table|column)/i.test(message)) {
    return '数据库的表结构不是最新的：请先运行 xinfang migrate，再重试。';
  }
  if (['ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'].includes(code)) {
    return `数据库正忙（另一个操作占用了同一批记录），请稍后重试。${tail}`;
  }
  return `数据库出错${code ? `（${code}）` : ''}。${tail}`;
}
