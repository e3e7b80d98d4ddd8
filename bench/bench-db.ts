import { createConnection } from 'mysql2/promise';

/** Drops a benchmark's MySQL database (its name must start with xinfang_bench_), so a run starts on an empty one. */
export async function dropBenchDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.replace(/^\//, '');
  if (!/^xinfang_bench_[A-Za-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}: the database name must start with xinfang_bench_`);
  const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'), password: decodeURIComponent(u.password) });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}
