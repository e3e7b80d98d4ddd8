import { Knex } from 'knex';

// Placeholder for the tables of this capability; fill in before it ships.
export async function up(_knex: Knex): Promise<void> {}

export async function down(_knex: Knex): Promise<void> {}
