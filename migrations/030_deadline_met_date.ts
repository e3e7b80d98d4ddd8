import type { Knex } from 'knex';

/**
 * The day a deadline was met, on the deadline row (issue 17): the statistics rate the decision and
 * conclusion deadlines with a GROUP BY over one index of case_deadlines, no join to cases.
 *  - case_deadlines.met_date: the case's date that met it (src/cases/domain/case-deadlines.ts MET_DATE),
 *    null while not met and for the acceptance notice (no date of its own); backfilled from cases;
 *  - index (kind, due_date, met_date, status), replacing 029's (kind, case_id, due_date, status).
 */
const MET_COLUMN: Record<string, string> = {
  decision: 'decided_date',
  conclusion: 'replied_date',
  review_request: 'review_requested_date',
  review_decision: 'review_replied_date',
  recheck_request: 'recheck_requested_date',
  recheck_decision: 'recheck_replied_date',
};
const INDEX: [string[], string] = [['kind', 'due_date', 'met_date', 'status'], 'case_deadlines_kind_due_met_idx'];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.string('met_date', 10).nullable();
  });
  for (const [kind, column] of Object.entries(MET_COLUMN)) {
    await knex('case_deadlines')
      .where('kind', kind)
      .update({ met_date: knex('cases').select(column).where('cases.id', knex.ref('case_deadlines.case_id')) });
  }
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.index(INDEX[0], INDEX[1]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.dropIndex(INDEX[0], INDEX[1]);
  });
  await knex.schema.alterTable('case_deadlines', (t) => {
    t.dropColumn('met_date');
  });
}
