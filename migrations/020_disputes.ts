import { Knex } from 'knex';

/**
 * 矛盾纠纷排查化解台账 (src/disputes):
 *  - disputes: one row per dispute found in screening, numbered per year (排2026-0001, counter
 *    disputes:YYYY). parties is a JSON list of {name, idNumber, phone}: personal data, masked
 *    wherever shown. status open → resolved (销号, resolution required) or escalated (case_no set).
 *    closed_date is the day of the 销号 or of the escalation.
 *  - dispute_events: the audit trail of each dispute (登记, 导入, 销号, 转入信访事项), like case_events.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disputes', (t) => {
    t.increments('id').primary();
    t.string('dispute_no', 16).notNullable().unique();
    t.integer('year').notNullable();
    t.string('screening', 8).notNullable(); // 定期排查 | 专项排查
    t.string('source', 16).notNullable(); // 群诉平台 | 网格 | 来访 | 来电 | 其他
    t.string('found_date', 10).notNullable();
    t.string('town', 64).notNullable();
    t.string('category', 64).notNullable();
    t.text('summary').notNullable();
    t.text('parties').notNullable(); // JSON
    t.string('risk', 2).notNullable(); // 高 | 中 | 低
    t.string('unit', 128).notNullable();
    t.string('owner', 64).notNullable();
    t.string('target_date', 10).notNullable();
    t.string('status', 16).notNullable(); // open | resolved | escalated
    t.text('resolution').nullable();
    t.string('closed_date', 10).nullable();
    t.string('case_no', 32).nullable();
    t.string('registered_by', 64).notNullable();
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['status', 'target_date'], 'disputes_status_target_index');
    t.index(['found_date'], 'disputes_found_index');
    t.index(['unit'], 'disputes_unit_index');
    t.index(['town'], 'disputes_town_index');
  });
  await knex.schema.createTable('dispute_events', (t) => {
    t.increments('id').primary();
    t.integer('dispute_id').unsigned().notNullable().references('disputes.id');
    t.string('action', 16).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).notNullable();
    t.string('actor_id', 64).notNullable();
    t.string('at', 23).notNullable();
    t.text('data').nullable(); // JSON, no personal data
    t.index(['dispute_id'], 'dispute_events_dispute_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('dispute_events');
  await knex.schema.dropTableIfExists('disputes');
}
