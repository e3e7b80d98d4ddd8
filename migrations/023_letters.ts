import { Knex } from 'knex';

/**
 * The letters register (src/letters): every 提醒函, 督办函 and 改进工作建议函 with its number, one
 * row each. Until now a letter was only an entry on its case's audit trail (case_events, action
 * 'letter'); those are copied here, so `letters list` shows the letters of every year.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('letters', (t) => {
    t.increments('id');
    t.string('number', 40).notNullable().unique(); // 信访督〔2026〕3号
    t.string('kind', 16).notNullable(); // 提醒函 | 督办函 | 改进工作建议函
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.string('unit', 64).notNullable(); // addressed to
    t.text('case_nos').notNullable(); // JSON array of the cases it is about or cites
    t.text('subject').nullable(); // 改进工作建议函: the suggestion in short
    t.string('issued_date', 10).notNullable(); // Shanghai date
    t.string('issued_by', 64).notNullable();
    t.string('created_at', 23).notNullable();
    t.index(['year', 'kind']);
    t.index(['issued_date']);
  });

  const events = await knex('case_events as e')
    .join('cases as c', 'c.id', 'e.case_id')
    .where('e.action', 'letter')
    .orderBy('e.id')
    .select('e.data', 'e.actor_id', 'e.at', 'c.case_no', 'c.unit');
  const seen = new Map<string, string[]>();
  const rows: Record<string, unknown>[] = [];
  for (const e of events) {
    let d: Record<string, any> = {};
    try {
      d = JSON.parse(e.data ?? '{}');
    } catch {
      continue;
    }
    if (!d.number) continue;
    const cited = seen.get(d.number);
    if (cited) {
      // A letter citing several cases is logged on each of them: one letter, every case.
      if (!cited.includes(e.case_no)) cited.push(e.case_no);
      continue;
    }
    seen.set(d.number, [e.case_no]);
    const issued = shanghaiDateOf(String(e.at));
    rows.push({
      number: String(d.number),
      kind: String(d.type ?? '督办函'),
      year: Number(d.year ?? issued.slice(0, 4)),
      seq: Number(d.seq ?? 0),
      unit: String(d.unit ?? e.unit ?? ''),
      case_nos: seen.get(d.number)!, // JSON after the loop
      subject: null,
      issued_date: issued,
      issued_by: String(e.actor_id),
      created_at: String(e.at),
    });
  }
  for (const r of rows) r.case_nos = JSON.stringify(r.case_nos);
  for (let i = 0; i < rows.length; i += 200) await knex('letters').insert(rows.slice(i, i + 200));
}

/** case_events.at is a UTC 'YYYY-MM-DD HH:MM:SS.mmm'; the letter's date is its Shanghai day. */
function shanghaiDateOf(utc: string): string {
  const t = new Date(`${utc.replace(' ', 'T')}Z`).getTime() + 8 * 3600 * 1000;
  return Number.isNaN(t) ? utc.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('letters');
}
