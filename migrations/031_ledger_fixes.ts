import { Knex } from 'knex';

/**
 * What a new-user trial found in the ledgers (issue 16):
 *  - consultation_requests: 「仍按此时间安排」 pressed twice. The clash card's button carries a token
 *    made when the clash was shown; the meeting it scheduled or moved is recorded under it, in the
 *    same transaction, so a second press (or two at once) finds the first and does nothing more.
 *    action: schedule | move.
 *  - reviews.live_case_id: = case_id for every review that is not cancelled (open or closed), NULL
 *    for a cancelled one; its unique index keeps a case in at most one review, so a case reviewed
 *    规范 cannot be reviewed again, even by two presses at once. Where reviews made before this
 *    migration already reviewed a case twice, the first keeps the guard.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('consultation_requests', (t) => {
    t.increments('id');
    t.string('token', 64).notNullable().unique();
    t.string('action', 12).notNullable();
    t.integer('consultation_id').unsigned().notNullable().references('consultations.id');
    t.string('created_at', 23).notNullable();
  });
  await knex.schema.alterTable('reviews', (t) => {
    t.integer('live_case_id').unsigned().nullable();
  });
  const firsts: Array<{ id: number }> = await knex('reviews').whereNot('status', 'cancelled').groupBy('case_id').select(knex.raw('min(id) as id'));
  for (const f of firsts) {
    await knex('reviews').where({ id: Number(f.id) }).update({ live_case_id: knex.ref('case_id') });
  }
  await knex.schema.alterTable('reviews', (t) => {
    t.unique(['live_case_id'], { indexName: 'reviews_live_case_unique' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reviews', (t) => {
    t.dropUnique(['live_case_id'], 'reviews_live_case_unique');
  });
  await knex.schema.alterTable('reviews', (t) => {
    t.dropColumn('live_case_id');
  });
  await knex.schema.dropTableIfExists('consultation_requests');
}
