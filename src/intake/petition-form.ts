import { shanghaiDate } from '../platform/calendar/domain/dates';
import { INTAKE_WORDS, parsePetitionBlock, startsWithPetitionField } from './domain/block-parser';
import { CHANNELS, OPEN_STATUSES, PetitionChannel } from '../cases';
import { PETITION_FIELDS, PetitionFieldContext, PetitionValues, SessionChoice } from './domain/petition-fields';
import { crossCheckPetition, formatReceivedAt, headcountLabel, isGroupVisit } from './domain/petition-validation';
import type { Core } from '../platform/core/feature';
import { CaseRecord, CaseService, NewCaseInput } from '../cases';
import { sessionChoicesOn } from '../roster';
import { deadlineLine, PETITION_FORM, petitionFormCard, petitionSummaryCard, savedCaseCard } from './petition-cards';
import { card, Outgoing } from '../platform/chat/messages';
import type { FieldDef, FormDef, FormValues, Turn } from '../platform/forms/form-types';

/** The lines about earlier cases of the same petitioner, in-progress ones first. */
export function repeatLines(linked: CaseRecord[]): string[] {
  const item = (r: CaseRecord) => `${r.caseNo}（${r.statusLabel}，${r.receivedDate}登记，${r.category}）`;
  const open = linked.filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status));
  const done = linked.filter((r) => !(OPEN_STATUSES as readonly string[]).includes(r.status));
  const lines: string[] = [];
  if (open.length) lines.push(`该信访人已有 ${open.length} 件在办事项：${open.map(item).join('；')}`);
  if (done.length) lines.push(`${open.length ? '另有' : '该信访人已有'} ${done.length} 件已结事项：${done.map(item).join('；')}`);
  const ended = done.filter((r) => r.status === 'closed');
  if (ended.length) {
    lines.push(
      `注意：${ended.map((r) => r.caseNo).join('、')} 已经复核终结。依《信访工作条例》第三十六条，信访人就同一事项再次提出的，` +
        '不再受理；请核实是否为同一事项，是则作“不予受理”并告知信访人。',
    );
  }
  if (lines.length) lines.push('属重复信访的，请按规定合并办理或告知信访人。');
  return lines;
}

/** The lists and data the petition's fields need for these values (the sessions of a 领导接访's day). */
async function petitionContext(core: Core, turn: Turn, values: FormValues): Promise<PetitionFieldContext> {
  const ref = core.reference();
  const v = values as PetitionValues;
  let sessions: SessionChoice[] = [];
  if (v.channel === '领导接访') {
    const date = shanghaiDate(v.receivedAt ? new Date(v.receivedAt) : turn.now);
    sessions = await sessionChoicesOn(core.db, date);
  }
  return {
    now: turn.now,
    towns: ref.towns,
    categories: ref.categories,
    purposes: ref.purposes,
    // Only the channels a case can hold; a misspelt one in the config is left out, not saved.
    channels: ref.channels.filter((c) => (CHANNELS as readonly string[]).includes(c)),
    groupThreshold: core.config.GROUP_VISIT_THRESHOLD,
    contentMax: core.config.TEXT_MAX_LENGTH,
    sessions,
  };
}

/** The confirmed answers as a new case. */
function newCaseInput(v: PetitionValues, turn: Turn): NewCaseInput {
  return {
    name: v.name!,
    idNumber: v.idNumber ?? null,
    phone: v.phone ?? null,
    address: v.address ?? null,
    headcount: v.headcount!,
    channel: v.channel as PetitionChannel,
    town: v.town!,
    category: v.category!,
    purpose: v.purpose ?? null,
    content: v.content!,
    receivedAt: v.receivedAt ? new Date(v.receivedAt) : turn.now,
    sessionId: v.channel === '领导接访' && typeof v.sessionId === 'number' ? v.sessionId : null,
    registeredBy: turn.user.id,
  };
}

/** Registers the case and answers with its number, its first deadline and the petitioner's earlier cases. */
async function savePetition(core: Core, cases: CaseService, values: FormValues, turn: Turn): Promise<Outgoing[]> {
  const { record, linked } = await cases.register(newCaseInput(values as PetitionValues, turn));
  const decision = (await cases.deadlines(record.id)).find((d) => d.kind === 'decision' && d.status === 'open');
  return [
    card(
      savedCaseCard({
        caseNo: record.caseNo,
        name: record.name,
        headcountLabel: headcountLabel(record.headcount, core.config.GROUP_VISIT_THRESHOLD),
        town: record.town,
        category: record.category,
        receivedAt: formatReceivedAt(record.receivedAt),
        deadline: decision ? deadlineLine(decision.label, decision.dueDate, decision.provisional) : null,
        repeat: repeatLines(linked),
      }),
    ),
  ];
}

/** The 信访登记 form: the domain's fields, the bureau's lists, and saving through CaseService. */
export function petitionForm(core: Core, cases: CaseService = new CaseService(core)): FormDef<PetitionFieldContext> {
  return {
    name: PETITION_FORM,
    title: '信访登记',
    roles: ['staff', 'admin'],
    fields: PETITION_FIELDS.map((f) => ({
      ...f,
      noChoicesNote: f.key === 'sessionId' ? 'ℹ️ 登记日期当天没有安排领导接访场次，“接访场次”已略过（可在登记后由管理员补记）。' : undefined,
    })) as unknown as ReadonlyArray<FieldDef<PetitionFieldContext>>,

    context: (turn, values) => petitionContext(core, turn, values),

    crossCheck(values, skippedByUser) {
      const p = crossCheckPetition(values as PetitionValues);
      if (!p) return null;
      // Asked for the ID number and skipped it: ask for the phone instead.
      return skippedByUser.includes('idNumber') ? { field: 'phone', reason: p.reason } : p;
    },

    parseBlock: (t) => parsePetitionBlock(t),
    looksLikeBlock: (t) => startsWithPetitionField(t),

    summaryCard(view, c) {
      const headcount = Number(/^\d+/.exec(view.rows.find((r) => r.key === 'headcount')?.value ?? '')?.[0] ?? NaN);
      const group = Number.isFinite(headcount) && isGroupVisit(headcount, c.groupThreshold);
      return petitionSummaryCard(view, { groupVisit: group, headcount: Number.isFinite(headcount) ? headcount : null });
    },

    formCard: (c, prefill, turn) => petitionFormCard(c, prefill, shanghaiDate(turn.now)),

    submit: (values, turn) => savePetition(core, cases, values, turn),
  };
}

/** The words that start 信访登记 (also the block's first word). */
export const PETITION_START_WORDS = INTAKE_WORDS;
