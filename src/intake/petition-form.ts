import { shanghaiDate } from '../platform/calendar/domain/dates';
import { INTAKE_WORDS, parsePetitionBlock, startsWithPetitionField } from './domain/block-parser';
import { PETITION_FIELDS, PetitionFieldContext, PetitionValues, SessionChoice } from './domain/petition-fields';
import { formatReceivedAt, headcountLabel, isGroupVisit } from './domain/petition-validation';
import type { Core } from '../platform/core/feature';
import { ANONYMOUS_NAME, anonymousRefusal, CaseService, CHANNELS, isAnonymousName, NewCaseInput, PetitionChannel } from '../cases';
import { anonymousNote, earlierCasesFor, isAnonymousAnswer, RepeatLink, repeatLines } from './petition-repeats';
import { sessionChoicesOn } from '../roster';
import { deadlineLine, PETITION_FORM, petitionFormCard, petitionSummaryCard, savedCaseCard } from './petition-cards';
import { card, Outgoing } from '../platform/chat/messages';
import type { FieldDef, FormDef, FormValues, Turn } from '../platform/forms/form-types';

/** What the form's cards need beyond the fields: the earlier cases, once the answers allow a match. */
export interface PetitionFormContext extends PetitionFieldContext {
  /** The answers this context was built for. */
  answers: PetitionValues;
  repeats: RepeatLink[] | null;
}

/**
 * The lists and data the petition's fields need for these values (the sessions of a 领导接访's day),
 * and, once name, town, category and content are in, the earlier cases it would be linked to.
 */
async function petitionContext(core: Core, turn: Turn, values: FormValues): Promise<PetitionFormContext> {
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
    anonymous: { isName: isAnonymousName, name: ANONYMOUS_NAME },
    answers: v,
    repeats: await earlierCasesFor(core.db, v, turn.now),
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
    anonymous: isAnonymousAnswer(v),
  };
}

/** Registers the case and answers with its number, its first deadline and the petitioner's earlier cases. */
async function savePetition(core: Core, cases: CaseService, values: FormValues, turn: Turn): Promise<Outgoing[]> {
  const v = values as PetitionValues;
  const { record, linked } = await cases.register(newCaseInput(v, turn));
  const decision = (await cases.deadlines(record.id)).find((d) => d.kind === 'decision' && d.status === 'open');
  // With why each is linked (same ID number, name and phone, or similar content).
  const links = linked.length ? ((await cases.detail(record.caseNo))?.links ?? linked.map((r) => ({ record: r, reason: 'id_number' }))) : [];
  return [
    card(
      savedCaseCard({
        caseNo: record.caseNo,
        name: record.name,
        headcountLabel: headcountLabel(record.headcount, core.config.GROUP_VISIT_THRESHOLD),
        town: record.town,
        category: record.category,
        receivedAt: formatReceivedAt(record.receivedAt, turn.now),
        deadline: decision ? deadlineLine(decision.label, decision.dueDate, decision.provisional) : null,
        repeat: repeatLines(links),
        anonymousNote: record.anonymous ? anonymousNote(v) : null,
      }),
    ),
  ];
}

/** The 信访登记 form: the domain's fields, the bureau's lists, and saving through CaseService. */
export function petitionForm(core: Core, cases: CaseService = new CaseService(core)): FormDef<PetitionFormContext> {
  return {
    name: PETITION_FORM,
    title: '信访登记',
    roles: ['staff', 'admin'],
    fields: PETITION_FIELDS.map((f) => ({
      ...f,
      noChoicesNote: f.key === 'sessionId' ? 'ℹ️ 登记日期当天没有安排领导接访场次，“接访场次”已略过（可在登记后由管理员补记）。' : undefined,
    })) as unknown as ReadonlyArray<FieldDef<PetitionFormContext>>,

    context: (turn, values) => petitionContext(core, turn, values),

    // No ID number and no phone: allowed as 匿名/身份不明 for 来信/网上信访/电话 only (a visitor is there).
    crossCheck(values, skippedByUser) {
      const v = values as PetitionValues;
      const p = anonymousRefusal({ name: v.name, idNumber: v.idNumber ?? null, phone: v.phone ?? null, channel: v.channel });
      if (!p) return null;
      // Asked for the ID number and skipped it: ask for the phone instead.
      return p.field === 'idNumber' && skippedByUser.includes('idNumber') ? { field: 'phone', reason: p.reason } : p;
    },

    parseBlock: (t) => parsePetitionBlock(t),
    looksLikeBlock: (t) => startsWithPetitionField(t),

    summaryCard(view, c) {
      const headcount = Number(/^\d+/.exec(view.rows.find((r) => r.key === 'headcount')?.value ?? '')?.[0] ?? NaN);
      const group = Number.isFinite(headcount) && isGroupVisit(headcount, c.groupThreshold);
      return petitionSummaryCard(view, {
        groupVisit: group, headcount: Number.isFinite(headcount) ? headcount : null,
        anonymousNote: anonymousNote(c.answers), repeat: repeatLines(c.repeats ?? []),
      });
    },

    formCard: (c, prefill, turn) => petitionFormCard(c, prefill, shanghaiDate(turn.now)),

    submit: (values, turn) => savePetition(core, cases, values, turn),
  };
}

/** The words that start 信访登记 (also the block's first word). */
export const PETITION_START_WORDS = INTAKE_WORDS;
