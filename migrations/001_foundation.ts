import { Knex } from 'knex';

/**
 * The shared data model. Instants are UTC strings (string(23), 'YYYY-MM-DD HH:MM:SS.mmm');
 * legal dates are 'YYYY-MM-DD' strings (string(10)), compared as text. Identical on SQLite and MySQL.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.string('id', 64).primary(); // Lark open_id in production, any name in the console
    t.string('name', 64).notNullable();
    t.string('role', 16).notNullable(); // admin | staff | leader | unit
    t.string('unit', 64).nullable(); // 承办单位 for role unit
    t.string('town', 32).nullable();
    t.string('title', 64).nullable(); // 职务, for leaders
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
  });

  await knex.schema.createTable('chats', (t) => {
    t.string('id', 64).primary(); // Lark chat_id (oc_…)
    t.string('name', 128).nullable();
    t.string('unit', 64).nullable(); // a handling unit's group
    t.string('role', 32).nullable(); // bureau | supervision | leaders | venue
    t.string('venue_id', 64).nullable();
    t.string('created_at', 23).notNullable();
    t.index(['unit']);
    t.index(['role']);
  });

  await knex.schema.createTable('holiday_overrides', (t) => {
    t.string('date', 10).primary();
    t.string('kind', 8).notNullable(); // holiday | workday
    t.string('name', 32).nullable();
    t.string('created_at', 23).notNullable();
  });
  await knex.schema.createTable('holiday_years', (t) => {
    t.integer('year').primary(); // a year whose whole arrangement the admin has entered
    t.string('source', 128).nullable();
    t.string('created_at', 23).notNullable();
  });

  await knex.schema.createTable('counters', (t) => {
    t.string('name', 64).primary(); // e.g. case:2026, letter:督办函:2026
    t.integer('value').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.increments('id');
    t.string('uuid', 50).notNullable().unique(); // Lark idempotency key, stable per row
    t.string('kind', 8).notNullable().defaultTo('create'); // create | reply | patch
    t.string('receive_id_type', 16).notNullable().defaultTo('chat_id'); // chat_id | open_id
    t.string('receive_id', 64).nullable();
    t.string('reply_to', 64).nullable(); // message id for reply
    t.string('message_id', 64).nullable(); // message id for patch
    t.string('msg_type', 16).notNullable(); // text | interactive | file
    t.text('content', 'mediumtext').notNullable(); // JSON string as Lark takes it
    t.string('status', 12).notNullable().defaultTo('pending'); // pending | sending | sent | failed
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 23).notNullable();
    t.integer('error_code').nullable();
    t.string('error_msg', 512).nullable();
    t.string('lark_message_id', 64).nullable();
    t.string('source', 64).nullable(); // what queued it, e.g. reminder:12
    t.string('created_at', 23).notNullable();
    t.string('sent_at', 23).nullable();
    t.index(['status', 'next_attempt_at']);
  });

  await knex.schema.createTable('cases', (t) => {
    t.increments('id');
    t.string('case_no', 16).notNullable().unique(); // 2026-000123
    t.integer('year').notNullable();
    t.string('status', 16).notNullable();
    t.string('name', 64).notNullable(); // 信访人姓名
    t.string('id_number', 18).nullable();
    t.string('phone', 20).nullable();
    t.string('address', 200).nullable();
    t.integer('headcount').notNullable().defaultTo(1);
    t.boolean('is_group').notNullable().defaultTo(false); // 集体访
    t.string('channel', 16).notNullable(); // 信访形式
    t.string('town', 32).notNullable(); // 问题属地
    t.string('category', 32).notNullable(); // 问题类别
    t.string('purpose', 16).nullable(); // 信访目的
    t.text('content').notNullable(); // 诉求/事项内容
    t.string('received_at', 23).notNullable(); // 登记时间 (UTC)
    t.string('received_date', 10).notNullable(); // its Shanghai date: the trigger of the periods
    t.string('unit', 64).nullable(); // 承办单位 after 交办
    t.string('transfer_to', 128).nullable(); // 转送 to another organ
    t.string('leader_id', 64).nullable(); // 包案领导
    t.boolean('supervised').notNullable().defaultTo(false); // 挂牌督办
    t.integer('session_id').unsigned().nullable(); // logged at a reception session
    t.string('accepted_date', 10).nullable();
    t.string('replied_date', 10).nullable();
    t.integer('extension_days').nullable();
    t.text('reply_summary').nullable();
    t.string('registered_by', 64).notNullable();
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['status']);
    t.index(['id_number']);
    t.index(['name', 'phone']);
    t.index(['unit', 'status']);
    t.index(['town', 'status']);
    t.index(['leader_id']);
  });

  // Each legal deadline of a case, one row each, so reminders scan only open, due rows.
  await knex.schema.createTable('case_deadlines', (t) => {
    t.increments('id');
    t.integer('case_id').unsigned().notNullable().references('cases.id');
    // decision | acceptance_notice | conclusion | review_request | review_decision | recheck_request | recheck_decision
    t.string('kind', 24).notNullable();
    t.string('due_date', 10).notNullable(); // last day, ends 24:00 Shanghai
    t.boolean('provisional').notNullable().defaultTo(false); // computed without that year's holiday data
    t.string('status', 8).notNullable().defaultTo('open'); // open | met | void
    t.string('unit', 64).nullable(); // who must act
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.unique(['case_id', 'kind']);
    t.index(['status', 'due_date']);
  });

  // Audit trail of every transition: insert only, never updated or deleted.
  await knex.schema.createTable('case_events', (t) => {
    t.increments('id');
    t.integer('case_id').unsigned().notNullable().references('cases.id');
    t.string('action', 24).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).nullable();
    t.string('actor_id', 64).notNullable();
    t.text('reason').nullable();
    t.text('data').nullable(); // JSON
    t.string('at', 23).notNullable();
    t.index(['case_id']);
  });

  await knex.schema.createTable('case_links', (t) => {
    t.integer('case_id').unsigned().notNullable().references('cases.id');
    t.integer('linked_case_id').unsigned().notNullable().references('cases.id');
    t.string('reason', 16).notNullable(); // id_number | name_phone
    t.primary(['case_id', 'linked_case_id']);
  });

  await knex.schema.createTable('leaders', (t) => {
    t.string('id', 64).primary(); // a users.id of role leader
    t.string('name', 64).notNullable();
    t.string('level', 8).notNullable(); // county | town
    t.string('title', 64).notNullable(); // 职务, e.g. 县委副书记
    t.text('towns').nullable(); // JSON array of towns they cover
    t.string('deputy_id', 64).nullable();
    t.integer('sort_order').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
  });

  await knex.schema.createTable('venues', (t) => {
    t.string('id', 64).primary();
    t.string('name', 128).notNullable();
    t.string('kind', 16).notNullable(); // center | town | village
    t.string('town', 32).nullable();
    t.string('address', 200).nullable();
    t.string('chat_id', 64).nullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.increments('id');
    t.string('uid', 64).notNullable().unique(); // stable iCal UID
    t.string('date', 10).notNullable();
    t.string('slot', 8).notNullable(); // 上午 | 下午 | 全天
    t.string('start_time', 5).notNullable(); // HH:MM Shanghai
    t.string('end_time', 5).notNullable();
    t.string('type', 8).notNullable(); // 接访 | 下访 | 约访
    t.string('venue_id', 64).notNullable().references('venues.id');
    t.text('accompany_units').nullable(); // JSON array
    t.string('focus', 200).nullable(); // 接访重点
    t.integer('capacity').nullable();
    t.string('status', 12).notNullable().defaultTo('planned'); // planned | confirmed | changed | cancelled | held
    t.integer('sequence').notNullable().defaultTo(0); // iCal SEQUENCE, rises on each change
    t.text('outcome').nullable(); // JSON: 批次, 人次, cases
    t.integer('plan_year').notNullable();
    t.string('rule_id', 64).nullable();
    t.text('note').nullable(); // internal
    t.string('created_at', 23).notNullable();
    t.string('updated_at', 23).notNullable();
    t.index(['date']);
    t.index(['plan_year']);
    t.index(['venue_id', 'date']);
  });

  await knex.schema.createTable('session_leaders', (t) => {
    t.integer('session_id').unsigned().notNullable().references('sessions.id');
    t.string('leader_id', 64).notNullable().references('leaders.id');
    t.primary(['session_id', 'leader_id']);
    t.index(['leader_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'session_leaders', 'sessions', 'venues', 'leaders', 'case_links', 'case_events', 'case_deadlines',
    'cases', 'outbox', 'counters', 'holiday_years', 'holiday_overrides', 'chats', 'users',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
}
