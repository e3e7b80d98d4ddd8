import type { Knex } from 'knex';
import { toDbTime } from './time';
import { isDuplicateKey } from './duplicate-key';
import { retryingStatement } from './transaction';

/**
 * Named leases (table `leases`): what only one process may do at a time across replicas. Each
 * statement is one conditional write on the row's primary key, so two processes (on two Galera
 * nodes too: the second write conflicts at commit and is refused or retried) never both hold it.
 */
export class LeaseStore {
  constructor(private readonly db: Knex) {}

  /**
   * Takes or renews the lease for `holder` until now + ms: when it is free, lapsed, or already
   * this holder's. True when the caller holds it afterwards.
   */
  async acquire(name: string, holder: string, ms: number, now = new Date()): Promise<boolean> {
    const t = toDbTime(now);
    const until = toDbTime(new Date(now.getTime() + ms));
    // On Galera a takeover on another node at the same moment wins at commit: this one is run again and finds it taken.
    const n = await retryingStatement(() =>
      this.db('leases')
        .where({ name })
        .andWhere((w) => w.where('holder', holder).orWhere('lease_until', '<', t))
        // acquired_at first: MySQL assigns left to right, so its CASE still sees the old holder.
        .update({ acquired_at: this.db.raw('CASE WHEN holder = ? THEN acquired_at ELSE ? END', [holder, t]), holder, lease_until: until }),
    );
    if (n === 1) return this.holds(name, holder);
    try {
      await retryingStatement(() => this.db('leases').insert({ name, holder, lease_until: until, acquired_at: t }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Gives the lease up at once (a graceful stop), when this holder has it. */
  async release(name: string, holder: string, now = new Date()): Promise<void> {
    await this.db('leases').where({ name, holder }).update({ lease_until: toDbTime(new Date(now.getTime() - 1)) });
  }

  /** Who holds the lease now, if anyone. */
  async holder(name: string, now = new Date()): Promise<string | null> {
    const r = await this.db('leases').where({ name }).andWhere('lease_until', '>=', toDbTime(now)).first('holder');
    return r ? String(r.holder) : null;
  }

  private async holds(name: string, holder: string): Promise<boolean> {
    const r = await this.db('leases').where({ name }).first('holder');
    return r?.holder === holder;
  }
}
