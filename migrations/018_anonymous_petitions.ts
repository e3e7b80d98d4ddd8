import { Knex } from 'knex';

/**
 * Anonymous and unidentified petitions (issue 15, item 4): cases.anonymous marks a case whose
 * petitioner is 匿名 or 身份不明 (no ID number, no phone), registered from a 来信, 网上信访 or 电话.
 * Such cases are found again by their content (same town or category, recent first), hence the
 * two indexes on (town, received_date) and (category, received_date).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.boolean('anonymous').notNullable().defaultTo(false);
    t.index(['town', 'received_date'], 'cases_town_received_idx');
    t.index(['category', 'received_date'], 'cases_category_received_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['town', 'received_date'], 'cases_town_received_idx');
    t.dropIndex(['category', 'received_date'], 'cases_category_received_idx');
    t.dropColumn('anonymous');
  });
}
