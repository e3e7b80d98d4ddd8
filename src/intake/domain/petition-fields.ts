import { shanghaiDate } from '../../platform/calendar/domain/dates';
import { validateIdNumber } from '../../platform/personal-data/id-number';
import { validatePhone } from '../../platform/personal-data/phone';
import {
  CHANNEL_ALIASES,
  fail,
  ok,
  parseAddress,
  parseChoice,
  parseContent,
  parseHeadcount,
  parseName,
  parseReceivedAt,
  Parsed,
} from './petition-validation';

/**
 * The fields of 信访登记, in the order the conversation asks them. Pure data plus parsers; the
 * forms engine (src/bot/forms) runs them, the block parser reads their labels, the card form
 * shows them. The lists (towns, categories, …) and the day's reception sessions come in through
 * PetitionFieldContext, so nothing here reads a file or the database.
 */
export const PETITION_FIELD_KEYS = [
  'name', 'idNumber', 'phone', 'address', 'headcount', 'channel', 'receivedAt', 'sessionId',
  'town', 'category', 'purpose', 'content',
] as const;
export type PetitionFieldKey = (typeof PETITION_FIELD_KEYS)[number];

/** A reception session (sessions row) someone may have been received at, as a choice. */
export interface SessionChoice {
  id: number;
  /** e.g. 上午 09:00–12:00 县群众来访接待中心（陈某某 县委副书记） */
  label: string;
}

export interface PetitionFieldContext {
  now: Date;
  towns: readonly string[];
  categories: readonly string[];
  purposes: readonly string[];
  channels: readonly string[];
  groupThreshold: number;
  contentMax: number;
  /** The sessions on the date of 登记时间 (only loaded when 信访形式 is 领导接访). */
  sessions: readonly SessionChoice[];
  /**
   * 匿名: which answers to 姓名 say there is no name (匿名, 无名氏, 不愿透露姓名 …), and the name
   * stored for them. From the case rules (cases/domain/anonymous-petition.ts); absent: none.
   */
  anonymous?: { isName: (raw: string) => boolean; name: string };
}

/** The answers so far, as the draft keeps them (plain JSON). */
export interface PetitionValues {
  name?: string;
  idNumber?: string | null;
  phone?: string | null;
  address?: string | null;
  headcount?: number;
  channel?: string;
  /** ISO instant */
  receivedAt?: string;
  sessionId?: number | null;
  town?: string;
  category?: string;
  purpose?: string | null;
  content?: string;
}

export interface PetitionFieldSpec {
  key: PetitionFieldKey;
  label: string;
  /** Other names for the field in a pasted block and in “修改 <字段>”. */
  aliases: string[];
  optional: boolean;
  /** Takes free text, so an answer that starts with a command word is still the answer. */
  freeText: boolean;
  multiline?: boolean;
  /** Holds personal data: masked wherever the reader may not see it whole. */
  personal?: 'idNumber' | 'phone';
  /** Skipped without asking when the field came from a pasted block or the card. */
  quietInBlock?: boolean;
  prompt: (c: PetitionFieldContext) => string;
  /** Asked only when this holds. */
  when?: (v: PetitionValues) => boolean;
  /** Cleared when one of these fields changes (a session belongs to a date and a channel). */
  dependsOn?: PetitionFieldKey[];
  /** The options to pick from, when the field is a choice. */
  choices?: (c: PetitionFieldContext) => readonly string[];
  parse: (raw: string, c: PetitionFieldContext, v: PetitionValues) => Parsed<unknown>;
  /** What 跳过 leaves in the field (null when omitted). */
  onSkip?: (c: PetitionFieldContext) => { value: unknown; display: string };
}

const numbered = (options: readonly string[]) => options.map((o, i) => `${i + 1}.${o}`).join('  ');

export const PETITION_FIELDS: readonly PetitionFieldSpec[] = [
  {
    key: 'name', label: '姓名', aliases: ['信访人姓名', '信访人', '名字', '代表姓名', '署名'], optional: false, freeText: true,
    prompt: () => '请输入信访人姓名（集体访填写代表姓名；未署名的来信、网上信访、电话填“匿名”）。',
    parse: (raw, c) => (c.anonymous?.isName(raw) ? ok(c.anonymous.name) : parseName(raw)),
  },
  {
    key: 'idNumber', label: '身份证号', aliases: ['身份证', '身份证号码', '公民身份号码', '证件号码', '身份号码'], optional: true,
    freeText: false, personal: 'idNumber', quietInBlock: true,
    prompt: () => '请输入信访人的18位身份证号（没有可回复“跳过”）。',
    parse: (raw, c) => {
      const r = validateIdNumber(raw, shanghaiDate(c.now));
      return r.ok ? ok(r.value) : fail(r.reason);
    },
  },
  {
    key: 'phone', label: '电话', aliases: ['手机', '联系电话', '手机号', '手机号码', '电话号码', '联系方式', '固话'], optional: true,
    freeText: false, personal: 'phone', quietInBlock: true,
    prompt: () => '请输入联系电话（手机或固话，如 13812345678、0763-6621234；没有可回复“跳过”）。',
    parse: (raw) => {
      const r = validatePhone(raw);
      return r.ok ? ok(r.value) : fail(r.reason);
    },
  },
  {
    key: 'address', label: '住址', aliases: ['地址', '家庭住址', '现住址', '联系地址', '住所'], optional: true, freeText: true,
    quietInBlock: true,
    prompt: () => '请输入住址（可回复“跳过”）。',
    parse: (raw) => parseAddress(raw),
  },
  {
    key: 'headcount', label: '人数', aliases: ['来访人数', '信访人数'], optional: false, freeText: false,
    prompt: (c) => `请输入人数（如 1；${c.groupThreshold}人及以上为集体访）。`,
    parse: (raw, c) => parseHeadcount(raw, c.groupThreshold),
  },
  {
    key: 'channel', label: '信访形式', aliases: ['形式', '信访方式', '方式', '来源', '渠道', '信访渠道'], optional: false, freeText: false,
    choices: (c) => c.channels,
    prompt: (c) => `请选择信访形式（回复名称或序号）：\n${numbered(c.channels)}`,
    parse: (raw, c) => parseChoice(raw, c.channels, '信访形式', CHANNEL_ALIASES),
  },
  {
    key: 'receivedAt', label: '登记时间', aliases: ['登记日期', '来访时间', '来访日期', '来信时间', '来信日期', '收到时间'],
    optional: true, freeText: false, quietInBlock: true,
    prompt: (c) =>
      `请输入登记时间，如 ${shanghaiDate(c.now)} 09:30、今天、昨天 15:00；回复“跳过”使用当前时间。`,
    parse: (raw, c) => parseReceivedAt(raw, c.now),
    onSkip: (c) => {
      const r = parseReceivedAt('今天', c.now) as { value: string; display: string };
      return { value: r.value, display: r.display };
    },
  },
  {
    key: 'sessionId', label: '接访场次', aliases: ['场次', '接访活动', '接访领导'], optional: true, freeText: false,
    when: (v) => v.channel === '领导接访',
    dependsOn: ['channel', 'receivedAt'],
    choices: (c) => c.sessions.map((s) => s.label),
    prompt: (c) => `请选择接访场次（回复序号；不在以下场次可回复“跳过”）：\n${c.sessions.map((s, i) => `${i + 1}.${s.label}`).join('\n')}`,
    parse: (raw, c) => {
      const labels = c.sessions.map((s) => s.label);
      const r = parseChoice(raw, labels, '接访场次');
      if (!r.ok) return r;
      const s = c.sessions.find((x) => x.label === r.value)!;
      return ok(s.id, s.label);
    },
  },
  {
    key: 'town', label: '问题属地', aliases: ['属地', '所属乡镇', '乡镇', '问题发生地'], optional: false, freeText: false,
    choices: (c) => c.towns,
    prompt: (c) => `请选择问题属地（回复名称或序号）：\n${numbered(c.towns)}`,
    parse: (raw, c) => parseChoice(raw, c.towns, '问题属地'),
  },
  {
    key: 'category', label: '问题类别', aliases: ['类别', '问题分类', '分类', '问题类型'], optional: false, freeText: false,
    choices: (c) => c.categories,
    prompt: (c) => `请选择问题类别（回复名称或序号）：\n${numbered(c.categories)}`,
    parse: (raw, c) => parseChoice(raw, c.categories, '问题类别'),
  },
  {
    key: 'purpose', label: '信访目的', aliases: ['目的'], optional: true, freeText: false, quietInBlock: true,
    choices: (c) => c.purposes,
    prompt: (c) => `请选择信访目的（可回复“跳过”）：\n${numbered(c.purposes)}`,
    parse: (raw, c) => parseChoice(raw, c.purposes, '信访目的'),
  },
  {
    key: 'content', label: '事项内容', aliases: ['事项', '诉求', '诉求内容', '主要诉求', '反映问题', '反映内容', '信访事项', '内容'],
    optional: false, freeText: true, multiline: true,
    prompt: (c) => `请输入事项内容：诉求及主要事实（最多${c.contentMax}字，可分段）。`,
    parse: (raw, c) => parseContent(raw, c.contentMax),
  },
];

/** Every name a field answers to, for the block parser and “修改 <字段>”: label first. */
export function petitionFieldNames(): Array<{ key: PetitionFieldKey; names: string[]; multiline: boolean }> {
  return PETITION_FIELDS.map((f) => ({ key: f.key, names: [f.label, ...f.aliases], multiline: f.multiline === true }));
}
