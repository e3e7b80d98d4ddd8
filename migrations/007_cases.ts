import { Knex } from 'knex';

/**
 * Case life (issue 4): the dates that start each legal period, the reason of a refusal, and the
 * database's own guard that the audit trail (case_events) is append-only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.string('decided_date', 10).nullable(); // 受理/不予受理/转送/交办 by the bureau
    t.string('assigned_date', 10).nullable(); // 交办: the unit's receipt, starts art. 23's 15 days
    t.text('decision_reason').nullable(); // why 不予受理 (or 退回)
    t.string('review_requested_date', 10).nullable(); // 复查 asked
    t.string('review_replied_date', 10).nullable(); // 复查 answered
    t.string('recheck_requested_date', 10).nullable(); // 复核 asked
    t.string('recheck_replied_date', 10).nullable(); // 复核 answered
  });

  const client = String((knex.client as { config: { client: unknown } }).config.client);
  if (client.includes('mysql')) {
    await knex.raw(
      "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'case_events is append-only'",
    );
    await knex.raw(
      "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'case_events is append-only'",
    );
  } else {
    await knex.raw(
      "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END",
    );
    await knex.raw(
      "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events BEGIN SELECT RAISE(ABORT, 'case_events is append-only'); END",
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS case_events_no_update');
  await knex.raw('DROP TRIGGER IF EXISTS case_events_no_delete');
  await knex.schema.alterTable('cases', (t) => {
    for (const c of ['decided_date', 'assigned_date', 'decision_reason', 'review_requested_date', 'review_replied_date', 'recheck_requested_date', 'recheck_replied_date']) {
      t.dropColumn(c);
    }
  });
}
