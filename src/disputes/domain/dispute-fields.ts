import { formatChineseDate, IsoDate } from '../../platform/calendar/domain/dates';
import { parseDayWord } from '../../platform/calendar/domain/day-words';
import { fail, ok, Parsed, charCount } from '../../platform/forms/parsed';
import { validateIdNumber } from '../../platform/personal-data/id-number';
import { validatePhone } from '../../platform/personal-data/phone';
import { maskIdNumber, maskName, maskPhone } from '../../platform/personal-data/masking';
import { DisputeLists, DisputeParty, targetDateError } from './dispute-rules';

/**
 * The fields of 排查登记, in the order the conversation asks them, with their parsers. The
 * lists (the reference data's: towns, units, categories, sources, risk levels, screening types)
 * and today come in through DisputeFieldContext.
 */
export interface DisputeFieldContext extends DisputeLists {
  today: IsoDate;
  summaryMax: number;
}

export const DISPUTE_FIELD_KEYS = [
  'screening', 'source', 'foundDate', 'town', 'category', 'summary', 'parties', 'risk', 'unit', 'owner', 'targetDate',
] as const;
export type DisputeFieldKey = (typeof DISPUTE_FIELD_KEYS)[number];

/** The answers as a draft keeps them (plain JSON). */
export interface DisputeValues {
  screening?: string;
  source?: string;
  foundDate?: IsoDate;
  town?: string;
  category?: string;
  summary?: string;
  parties?: DisputeParty[];
  risk?: string;
  unit?: string;
  owner?: string;
  targetDate?: IsoDate;
}

export interface DisputeFieldSpec {
  key: DisputeFieldKey;
  label: string;
  aliases: string[];
  optional: boolean;
  freeText: boolean;
  multiline?: boolean;
  quietInBlock?: boolean;
  prompt: (c: DisputeFieldContext) => string;
  choices?: (c: DisputeFieldContext) => readonly string[];
  parse: (raw: string, c: DisputeFieldContext) => Parsed<unknown>;
  onSkip?: (c: DisputeFieldContext) => { value: unknown; display: string };
}

const numbered = (options: readonly string[]) => options.map((o, i) => `${i + 1}.${o}`).join('  ');

/** A choice by its name, its number in the list, or a word it alone contains. */
export function parseChoice(raw: string, options: readonly string[], label: string, aliases: Record<string, string> = {}): Parsed<string> {
  const t = raw.trim();
  if (!t) return fail(`请填写${label}`);
  if (options.includes(t)) return ok(t);
  if (aliases[t] && options.includes(aliases[t])) return ok(aliases[t]);
  if (/^\d{1,3}$/.test(t) && Number(t) >= 1 && Number(t) <= options.length) return ok(options[Number(t) - 1]);
  const hits = options.filter((o) => o.includes(t) || t.includes(o));
  if (hits.length === 1) return ok(hits[0]);
  return fail(`${label}“${t}”不在列表中，请回复名称或序号：${numbered(options)}`);
}

/** A person's name as typed: 2–20 characters, no digits. */
function nameError(name: string): string | null {
  if (!name) return '当事人姓名不能为空';
  if (/\d/.test(name)) return `“${name}”不像姓名`;
  if (charCount(name) > 20) return `当事人姓名“${name}”过长（最多 20 字）`;
  return null;
}

/**
 * The parties as staff type them: one per line or separated by “；”, each “姓名 身份证号 电话”
 * (ID number and phone optional, in any order).
 */
export function parseParties(raw: string, today: IsoDate): Parsed<DisputeParty[]> {
  const pieces = raw.split(/[；;\n]+/).map((p) => p.trim()).filter(Boolean);
  if (!pieces.length) return fail('请填写至少一位当事人，如：张某某 441823199001016012 13812345678；李某某');
  if (pieces.length > 20) return fail(`当事人最多 20 位（现有 ${pieces.length} 位），人数较多的请填写代表`);
  const parties: DisputeParty[] = [];
  for (const piece of pieces) {
    const party: DisputeParty = { name: '', idNumber: null, phone: null };
    for (const token of piece.split(/[\s,，、]+/).filter(Boolean)) {
      const bare = token.replace(/^(身份证号?|电话|手机)[:：]?/, '');
      if (/^\d{17}[\dXx]$/.test(bare)) {
        const r = validateIdNumber(bare, today);
        if (!r.ok) return fail(`当事人“${piece}”的身份证号有误：${r.reason}`);
        party.idNumber = r.value;
      } else if (/^[\d-]{7,}$/.test(bare)) {
        const r = validatePhone(bare);
        if (!r.ok) return fail(`当事人“${piece}”的电话有误：${r.reason}`);
        party.phone = r.value;
      } else if (!party.name) {
        party.name = bare;
      } else {
        return fail(`当事人“${piece}”看不明白：每位当事人写“姓名 身份证号 电话”，多位之间用“；”隔开`);
      }
    }
    const err = nameError(party.name);
    if (err) return fail(err);
    parties.push(party);
  }
  return ok(parties, partiesText(parties, { reveal: false }));
}

/** The parties as a line: names whole or masked; ID numbers and phones always masked. */
export function partiesText(parties: readonly DisputeParty[], opts: { reveal: boolean }): string {
  return parties
    .map((p) => [opts.reveal ? p.name : maskName(p.name), maskIdNumber(p.idNumber), maskPhone(p.phone)].filter(Boolean).join(' '))
    .join('；');
}

function parseDate(raw: string, today: IsoDate, label: string): Parsed<IsoDate> {
  const d = parseDayWord(raw, today);
  if (!d) return fail(`${label}“${raw.trim()}”看不明白，请写如 ${today}、12月31日、明天`);
  return ok(d, formatChineseDate(d));
}

export function parseTargetDate(raw: string, today: IsoDate): Parsed<IsoDate> {
  const r = parseDate(raw, today, '化解期限');
  if (!r.ok) return r;
  const err = targetDateError(r.value, today);
  return err ? fail(err) : r;
}

export function parseFoundDate(raw: string, today: IsoDate): Parsed<IsoDate> {
  const r = parseDate(raw, today, '排查日期');
  if (!r.ok) return r;
  return r.value > today ? fail(`排查日期 ${r.value} 还没到，不能晚于今天`) : r;
}

export function parseText(raw: string, label: string, max: number): Parsed<string> {
  const t = raw.trim();
  if (!t) return fail(`${label}不能为空`);
  if (charCount(t) > max) return fail(`${label}最多 ${max} 字（现有 ${charCount(t)} 字）`);
  return ok(t);
}

const RISK_ALIASES: Record<string, string> = { 高风险: '高', 中风险: '中', 低风险: '低', 较高: '高', 一般: '中', 较低: '低' };
const SOURCE_ALIASES: Record<string, string> = { 群诉: '群诉平台', 电话: '来电', 网格员: '网格', 网格化: '网格' };

export const DISPUTE_FIELDS: readonly DisputeFieldSpec[] = [
  {
    key: 'screening', label: '排查类型', aliases: ['排查方式', '排查形式'], optional: false, freeText: false,
    choices: (c) => c.screeningTypes,
    prompt: (c) => `请选择排查类型：\n${numbered(c.screeningTypes)}`,
    parse: (raw, c) => parseChoice(raw, c.screeningTypes, '排查类型', { 定期: '定期排查', 专项: '专项排查' }),
  },
  {
    key: 'source', label: '来源', aliases: ['线索来源', '排查来源', '发现渠道'], optional: false, freeText: false,
    choices: (c) => c.sources,
    prompt: (c) => `请选择来源：\n${numbered(c.sources)}`,
    parse: (raw, c) => parseChoice(raw, c.sources, '来源', SOURCE_ALIASES),
  },
  {
    key: 'foundDate', label: '排查日期', aliases: ['排查时间', '发现日期', '发现时间'], optional: true, freeText: false, quietInBlock: true,
    prompt: (c) => `请输入排查日期（如 ${c.today}、昨天；回复“跳过”为今天）。`,
    parse: (raw, c) => parseFoundDate(raw, c.today),
    onSkip: (c) => ({ value: c.today, display: formatChineseDate(c.today) }),
  },
  {
    key: 'town', label: '乡镇', aliases: ['所属乡镇', '属地', '问题属地', '镇街'], optional: false, freeText: false,
    choices: (c) => c.towns,
    prompt: (c) => `请选择乡镇：\n${numbered(c.towns)}`,
    parse: (raw, c) => parseChoice(raw, c.towns, '乡镇'),
  },
  {
    key: 'category', label: '纠纷类别', aliases: ['类别', '问题类别', '纠纷类型', '分类'], optional: false, freeText: false,
    choices: (c) => c.categories,
    prompt: (c) => `请选择纠纷类别：\n${numbered(c.categories)}`,
    parse: (raw, c) => parseChoice(raw, c.categories, '纠纷类别'),
  },
  {
    key: 'summary', label: '纠纷概要', aliases: ['概要', '简要情况', '基本情况', '纠纷情况', '主要情况', '内容'],
    optional: false, freeText: true, multiline: true,
    prompt: (c) => `请输入纠纷概要：起因、涉及人数、主要诉求（最多${c.summaryMax}字）。`,
    parse: (raw, c) => parseText(raw, '纠纷概要', c.summaryMax),
  },
  {
    key: 'parties', label: '当事人', aliases: ['当事人信息', '涉及人员', '双方当事人'], optional: false, freeText: true, multiline: true,
    prompt: () => '请输入当事人：每位写“姓名 身份证号 电话”（身份证号、电话可省略），多位之间用“；”隔开。',
    parse: (raw, c) => parseParties(raw, c.today),
  },
  {
    key: 'risk', label: '风险等级', aliases: ['风险', '稳定风险'], optional: false, freeText: false,
    choices: (c) => c.riskLevels,
    prompt: (c) => `请选择风险等级：\n${numbered(c.riskLevels)}`,
    parse: (raw, c) => parseChoice(raw, c.riskLevels, '风险等级', RISK_ALIASES),
  },
  {
    key: 'unit', label: '责任单位', aliases: ['化解单位', '承办单位', '牵头单位'], optional: false, freeText: false,
    choices: (c) => c.units,
    prompt: (c) => `请选择责任单位：\n${numbered(c.units)}`,
    parse: (raw, c) => parseChoice(raw, c.units, '责任单位'),
  },
  {
    key: 'owner', label: '责任人', aliases: ['责任人姓名', '包案责任人', '化解责任人'], optional: false, freeText: true,
    prompt: () => '请输入责任单位的责任人（姓名，可带职务，如：李某某 副镇长）。',
    parse: (raw) => parseText(raw, '责任人', 40),
  },
  {
    key: 'targetDate', label: '化解期限', aliases: ['目标日期', '化解时限', '完成时限', '期限'], optional: false, freeText: false,
    prompt: (c) => `请输入化解期限（不能早于今天，如 ${c.today}、12月31日）。`,
    parse: (raw, c) => parseTargetDate(raw, c.today),
  },
];

/** Every name a field answers to, for the block parser and “修改 <字段>”: label first. */
export function disputeFieldNames(): Array<{ key: DisputeFieldKey; names: string[]; multiline: boolean }> {
  return DISPUTE_FIELDS.map((f) => ({ key: f.key, names: [f.label, ...f.aliases], multiline: f.multiline === true }));
}
