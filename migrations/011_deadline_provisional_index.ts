import { Knex } from 'knex';

/**
 * A holiday import reads the open deadlines that were counted without a year's holiday data
 * (src/cases/deadline-recompute.ts): this index finds them without reading every open deadline.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.index(['status', 'provisional'], 'case_deadlines_status_provisional_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.dropIndex(['status', 'provisional'], 'case_deadlines_status_provisional_index');
  });
}
