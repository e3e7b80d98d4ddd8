import { Knex } from 'knex';

/**
 * Named counters (case numbers per year, letter numbers per year). One upsert statement takes
 * the row lock inside the caller's transaction, so each value is handed out once across
 * connections and replicas. Run the caller's transaction with runTransaction(), which retries
 * the rare deadlock MySQL reports when the row is first created by two at once.
 */
export async function nextCounterValue(trx: Knex | Knex.Transaction, name: string): Promise<number> {
  await trx('counters')
    .insert({ name, value: 1 })
    .onConflict('name')
    .merge({ value: trx.raw('?? + 1', ['counters.value']) });
  const row = await trx('counters').where({ name }).first('value');
  return Number(row.value);
}
