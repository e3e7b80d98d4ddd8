/**
 * Whether a failed INSERT failed on a primary or unique key already taken: the one reading of
 * both drivers' errors (mysql2: ER_DUP_ENTRY / errno 1062; better-sqlite3: SQLITE_CONSTRAINT_*).
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null;
  const code = String(e?.code ?? '');
  return code === 'ER_DUP_ENTRY' || e?.errno === 1062 || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
