import { Knex } from 'knex';

/**
 * The calendar feeds' request budget per client, shared by every replica: rate-limiter-flexible's
 * own layout (RateLimiterSQLite, RateLimiterMySQL), in this column order, which its MySQL insert
 * relies on. `expire` is the end of the client's window in epoch milliseconds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('feed_rate_limits', (t) => {
    t.string('key', 255).notNullable().primary(); // 'feeds:' and the client's IP address
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').unsigned().nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('feed_rate_limits');
}
