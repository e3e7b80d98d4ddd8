import { Knex } from 'knex';

/**
 * Named leases (issue 18): one row per thing only one process may do at a time across replicas,
 * e.g. `outbox-sender` (Lark's budgets are the app's, so one sender sends). The holder renews
 * `lease_until`; another process takes the row over only once it has lapsed, by a conditional
 * UPDATE (on Galera, two takeovers at once on two nodes conflict at commit and one is retried).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 128).notNullable();
    t.string('lease_until', 23).notNullable();
    t.string('acquired_at', 23).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('leases');
}
