import { Knex } from 'knex';

/**
 * The outbox's retry horizon (issue 13): a message that Lark keeps refusing for a passing reason
 * (5xx, a network error, a rate limit) is tried again for OUTBOX_RETRY_HOURS from its first
 * failed send, not for a fixed number of attempts; and a failed message says when it failed, so
 * `xinfang outbox retry --failed --since` and the backlog checks can tell recent failures.
 *  - failing_since: when the row's current run of failed sends began (null once sent or re-queued;
 *    a row retrying at the migration starts its run at its next failure);
 *  - failed_at: when it was given up on. Rows that failed before this migration take their
 *    created_at, the best time known.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.string('failing_since', 23).nullable();
    t.string('failed_at', 23).nullable();
    // /healthz, /metrics and doctor count the failed rows by transport and time: read from the index alone.
    t.index(['status', 'transport', 'failed_at'], 'outbox_status_transport_failed_at_index');
  });
  await knex('outbox').where('status', 'failed').update({ failed_at: knex.ref('created_at') });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.dropIndex(['status', 'transport', 'failed_at'], 'outbox_status_transport_failed_at_index');
    t.dropColumn('failed_at');
    t.dropColumn('failing_since');
  });
}
