import { Knex } from 'knex';

/**
 * 信访事项评查 (src/reviews):
 *  - review_samples: one draw of concluded cases for a period, with what was asked (count or
 *    share), the seed (the same seed over the same cases draws the same sample) and who drew it.
 *  - reviews: one case under review, numbered PC2026-0001. open_case_id holds the case's id while
 *    the review is open and is NULL once it is closed: its unique index keeps a case in at most
 *    one open review (both databases allow many NULLs under a unique index).
 *  - review_events: the audit trail of every write (drawn, recorded, reported, accepted, returned).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('review_samples', (t) => {
    t.increments('id');
    t.string('period_label', 32).notNullable();
    t.string('period_from', 10).notNullable();
    t.string('period_to', 10).notNullable();
    t.string('asked', 16).notNullable(); // "30" or "10%"
    t.string('seed', 64).notNullable();
    t.integer('population').notNullable(); // concluded cases that could be drawn
    t.integer('drawn').notNullable();
    t.string('drawn_by', 64).notNullable();
    t.string('created_at', 23).notNullable();
  });
  await knex.schema.createTable('reviews', (t) => {
    t.increments('id');
    t.string('review_no', 16).notNullable().unique(); // PC2026-0001
    t.integer('sample_id').unsigned().nullable().references('review_samples.id');
    t.integer('case_id').unsigned().notNullable().references('cases.id');
    t.integer('open_case_id').unsigned().nullable().unique(); // = case_id while open
    t.string('case_no', 16).notNullable();
    t.string('case_unit', 64).notNullable(); // the unit the case was counted under
    t.string('concluded_date', 10).nullable();
    t.string('status', 12).notNullable(); // pending | ok | rectifying | reported | fixed
    t.text('problems').nullable(); // JSON array of the problems found
    t.text('note').nullable();
    t.string('fix_unit', 64).nullable(); // who must 整改
    t.string('reviewer_id', 64).nullable();
    t.string('reviewed_at', 23).nullable();
    t.string('reviewed_date', 10).nullable(); // its Shanghai date, what the figures count by
    t.text('rectification').nullable(); // the unit's report
    t.string('reported_by', 64).nullable();
    t.string('reported_at', 23).nullable();
    t.string('closed_by', 64).nullable();
    t.string('closed_at', 23).nullable();
    t.string('drawn_date', 10).notNullable(); // Shanghai date the review was opened
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['case_id']);
    t.index(['drawn_date']);
    t.index(['reviewed_date']);
    t.index(['status']);
  });
  await knex.schema.createTable('review_events', (t) => {
    t.increments('id');
    t.integer('review_id').unsigned().notNullable().references('reviews.id');
    t.string('action', 16).notNullable(); // drawn | recorded | reported | accepted | returned
    t.string('actor_id', 64).notNullable();
    t.text('data').nullable(); // JSON
    t.string('at', 23).notNullable();
    t.index(['review_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('review_events');
  await knex.schema.dropTableIfExists('reviews');
  await knex.schema.dropTableIfExists('review_samples');
}
