import type { Knex } from 'knex';

/** The part of mysql2's (callback) connection that a prepared statement needs. */
interface MysqlConnection {
  execute(sql: string, values: unknown[], cb: (err: unknown, rows: unknown) => void): void;
}

interface ConnectionClient {
  acquireConnection(): Promise<MysqlConnection>;
  releaseConnection(c: MysqlConnection): Promise<unknown>;
}

/**
 * Runs one statement as a prepared statement (mysql2's execute, the binary protocol) on MySQL:
 * the values travel as they are, where knex has mysql2 escape each one into the SQL text (for
 * JSON full of quotes, the escaping and the server's parse of the text cost more than the insert).
 * On a transaction it runs on the transaction's own connection (knex's transaction client hands
 * out that one), otherwise on a connection of the pool. mysql2 keeps each connection's statements
 * by their text and prepares each once, so callers keep the number of distinct texts small (e.g.
 * one row count per INSERT): the server allows max_prepared_stmt_count statements in all.
 */
export async function executePrepared<T = unknown>(db: Knex | Knex.Transaction, sql: string, values: unknown[]): Promise<T> {
  const client = db.client as ConnectionClient;
  const conn = await client.acquireConnection();
  try {
    return await new Promise<T>((resolve, reject) => conn.execute(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T))));
  } finally {
    await client.releaseConnection(conn);
  }
}
