import type { Parsed } from './parsed';
import type { Role, User } from '../directory/user-store';
import type { ChatType, Outgoing } from '../chat/messages';

/** The values a form has so far: field key -> the clean value. */
export type FormValues = Record<string, unknown>;

/**
 * One question of a form. A form is data: the engine asks, validates, goes back, skips and
 * edits every form the same way.
 */
export interface FieldDef<C> {
  key: string;
  label: string;
  /** Other names for “修改 <字段>” and for pasted `字段：值` lines. */
  aliases?: string[];
  optional?: boolean;
  /** Takes free text: an answer that starts with a command word is still the answer. */
  freeText?: boolean;
  multiline?: boolean;
  /** Personal data: masked unless the reader may see it whole. */
  personal?: 'idNumber' | 'phone';
  /** Skipped without asking when the form was filled from a block or the card. */
  quietInBlock?: boolean;
  prompt: (c: C) => string;
  when?: (v: FormValues) => boolean;
  dependsOn?: string[];
  /** Options to pick from; a choice field with none is passed over with a note. */
  choices?: (c: C) => readonly string[];
  parse: (raw: string, c: C, v: FormValues) => Parsed<unknown>;
  onSkip?: (c: C) => { value: unknown; display: string };
  /** Said when a choice field is passed over for lack of options. */
  noChoicesNote?: string;
}

/** Who is speaking, where, and when: what a form needs beyond its state. */
export interface Turn {
  user: User;
  chatId: string;
  chatType: ChatType;
  now: Date;
}

export interface SummaryView {
  title: string;
  rows: Array<{ key: string; label: string; value: string }>;
  notes: string[];
  form: string;
  rev: number;
}

export interface FormDef<C> {
  name: string;
  /** e.g. 信访登记 */
  title: string;
  /** Who may fill it in and save it. */
  roles: readonly Role[];
  fields: ReadonlyArray<FieldDef<C>>;
  /** The lists and data the fields need, for these values (called again when values change). */
  context(turn: Turn, values: FormValues): Promise<C>;
  /** Checks across fields before the summary; the field to ask again, with the reason. */
  crossCheck?(values: FormValues, skippedByUser: readonly string[]): { field: string; reason: string } | null;
  /** Reads pasted `字段：值` lines (with or without the start word) into raw answers. */
  parseBlock?(text: string): { entries: Array<{ key: string; raw: string }>; unknown: string[]; duplicates: string[] };
  /** Whether a text is such a block (its first line is a known `字段：值`). */
  looksLikeBlock?(text: string): boolean;
  /** Saves the confirmed values; returns what to tell the person. Throw UserError to refuse. */
  submit(values: FormValues, turn: Turn): Promise<Outgoing[]>;
  /** The summary card; a plain generic one when omitted. */
  summaryCard?(view: SummaryView, c: C): Record<string, unknown>;
  /** The whole form as one card (form container), prefilled with the values so far. */
  formCard?(c: C, prefill: Record<string, string>, turn: Turn): Record<string, unknown>;
}

/** The whole dialog state: plain JSON, saved at the end of every turn (form_drafts.state). */
export interface FormState {
  form: string;
  step: 'ask' | 'confirm' | 'saving';
  /** The field being asked (step ask). */
  current: string | null;
  values: Record<string, { v: unknown; d: string }>;
  /** Optional fields passed over: by the person (跳过) or quietly (block/card). */
  skipped: Record<string, 'user' | 'auto'>;
  /** Fields answered, in order, for 上一步. */
  history: string[];
  /** Wrong answers in a row to the current field. */
  retries: number;
  /** Rises whenever a value changes; summary buttons carry it, so an old card cannot confirm. */
  rev: number;
  /** Filled from a block or the card: optional fields not given are not asked. */
  quiet: boolean;
  /** Fields a block or card gave with a wrong value: asked even in quiet mode. */
  invalid?: string[];
  startedAt: string;
  savingSince?: string;
}

export function newFormState(form: string, now: Date): FormState {
  return {
    form, step: 'ask', current: null, values: {}, skipped: {}, history: [], retries: 0, rev: 0, quiet: false,
    startedAt: now.toISOString(),
  };
}
