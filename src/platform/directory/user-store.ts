import { insertInChunks } from '../database/insert-in-chunks';
import { Knex } from 'knex';
import { hasExactValue } from '../database/row-checks';
import { toDbTime } from '../database/time';

export const ROLES = ['admin', 'staff', 'leader', 'unit'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  admin: '管理员',
  staff: '登记员',
  leader: '领导',
  unit: '承办单位',
};

export interface User {
  id: string;
  name: string;
  role: Role;
  unit: string | null;
  town: string | null;
  title: string | null;
}

export class UserStore {
  constructor(private readonly db: Knex) {}

  /** `db`: the caller's transaction, when it reads inside one (SQLite has a single connection). */
  async get(id: string, db: Knex | Knex.Transaction = this.db): Promise<User | null> {
    const row = await db('users').where({ id }).first();
    return row ? toUser(row) : null;
  }

  /** Several users in one query, by id; ids that are not registered are simply absent. */
  async getMany(ids: string[]): Promise<Map<string, User>> {
    if (!ids.length) return new Map();
    const rows = await this.db('users').whereIn('id', [...new Set(ids)]);
    return new Map(rows.map((r: any) => [String(r.id), toUser(r)]));
  }

  async list(): Promise<User[]> {
    const rows = await this.db('users').orderBy([{ column: 'role' }, { column: 'id' }]);
    return rows.map(toUser);
  }

  /** The ids of a unit's users (role unit), in id order. */
  async unitUserIds(unit: string, db: Knex | Knex.Transaction = this.db): Promise<string[]> {
    return (await db('users').where({ role: 'unit', unit }).orderBy('id')).map((r: any) => String(r.id));
  }

  async listByRole(role: Role): Promise<User[]> {
    return (await this.db('users').where({ role }).orderBy('id')).map(toUser);
  }

  /** Whether some user belongs to the unit (spelled exactly so). */
  async hasUnit(unit: string): Promise<boolean> {
    return hasExactValue(this.db, 'users', 'unit', unit);
  }

  /** Adds many new users in the caller's transaction (the demo county), 200 to an INSERT. */
  async insertMany(users: User[], now: Date, db: Knex | Knex.Transaction = this.db): Promise<void> {
    const t = toDbTime(now);
    const rows = users.map((u) => ({ id: u.id, name: u.name, role: u.role, unit: u.unit, town: u.town, title: u.title, created_at: t, updated_at: t }));
    await insertInChunks(db, 'users', rows, 200);
  }

  /** Inserts or updates by id. */
  async upsert(user: User, now = new Date()): Promise<void> {
    const t = toDbTime(now);
    const row = { name: user.name, role: user.role, unit: user.unit, town: user.town, title: user.title, updated_at: t };
    await this.db('users')
      .insert({ id: user.id, ...row, created_at: t })
      .onConflict('id')
      .merge(row);
  }
}

function toUser(r: any): User {
  return { id: r.id, name: r.name, role: r.role, unit: r.unit ?? null, town: r.town ?? null, title: r.title ?? null };
}
