import type { Knex } from 'knex';
import { shanghaiDate } from '../platform/calendar/domain/dates';
import type { Core } from '../platform/core/feature';
import { card, Outgoing } from '../platform/chat/messages';
import { Draft, DraftStore } from '../platform/forms/draft-store';
import type { FieldDef, FormDef } from '../platform/forms/form-types';
import { DISPUTE_FIELDS, DisputeFieldContext, DisputeValues } from './domain/dispute-fields';
import { parseDisputeBlock, startsWithDisputeField } from './domain/dispute-block';
import { savedDisputeCard } from './dispute-cards';
import type { DisputeService, NewDisputeInput } from './dispute-service';

export const DISPUTE_FORM = 'dispute';

/**
 * The dispute form's drafts live in form_drafts beside the petition's, under the chat's id with a
 * suffix: the intake's form runner drops any draft of a form it does not know, so a half-filled
 * 排查登记 and a half-filled 信访登记 must never share a key. Expired ones go with the intake's
 * drafts-purge job (it deletes by expiry, whatever the key).
 */
export class DisputeDraftStore extends DraftStore {
  static key(chatId: string): string {
    return `${chatId}#dispute`;
  }

  constructor(db: Knex) {
    super(db);
  }

  override get<S = unknown>(userId: string, chatId: string): Promise<Draft<S> | null> {
    return super.get<S>(userId, DisputeDraftStore.key(chatId));
  }

  override create<S>(userId: string, chatId: string, form: string, state: S, now: Date, ttlMs: number): Promise<Draft<S>> {
    return super.create(userId, DisputeDraftStore.key(chatId), form, state, now, ttlMs);
  }

  override remove(userId: string, chatId: string, version?: number): Promise<boolean> {
    return super.remove(userId, DisputeDraftStore.key(chatId), version);
  }
}

function inputOf(v: DisputeValues): NewDisputeInput {
  return {
    screening: v.screening!, source: v.source!, foundDate: v.foundDate, town: v.town!, category: v.category!, summary: v.summary!,
    parties: v.parties!, risk: v.risk!, unit: v.unit!, owner: v.owner!, targetDate: v.targetDate!,
  };
}

/** 矛盾纠纷排查登记 as a form: asked in turns, or filled from a pasted block; saved by the service. */
export function disputeForm(core: Core, service: DisputeService): FormDef<DisputeFieldContext> {
  return {
    name: DISPUTE_FORM,
    title: '矛盾纠纷排查登记',
    roles: ['staff', 'admin'],
    fields: DISPUTE_FIELDS as unknown as ReadonlyArray<FieldDef<DisputeFieldContext>>,
    context: async (turn) => {
      return { ...service.lists(), today: shanghaiDate(turn.now), summaryMax: core.config.TEXT_MAX_LENGTH };
    },
    crossCheck(values) {
      const v = values as DisputeValues;
      if (v.foundDate && v.targetDate && v.targetDate < v.foundDate) return { field: 'targetDate', reason: '化解期限不能早于排查日期' };
      return null;
    },
    parseBlock: (t) => parseDisputeBlock(t),
    looksLikeBlock: (t) => startsWithDisputeField(t),
    submit: async (values, turn): Promise<Outgoing[]> => {
      const d = await service.register(inputOf(values as DisputeValues), turn.user);
      return [card(savedDisputeCard(d, turn.chatType === 'p2p'))];
    },
  };
}
