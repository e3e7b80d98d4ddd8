/**
 * The rules of Lark's card JSON 2.0, as the open platform documents them, for every element the
 * project emits (and the 1.0 leftovers it must not emit). The fake Lark server refuses a card that
 * breaks one with Lark's answer (HTTP 400, code 230099 "Failed to create card content", the
 * sub-code and path in the message), and the card snapshot test checks every card kind the bot
 * sends. Sources (open.feishu.cn/document/…):
 *  - feishu-cards/card-json-v2-structure: schema "2.0"; top level schema/config/card_link/header/body;
 *    elements under body; update_multi only true; at most 200 elements and components;
 *  - feishu-cards/card-json-v2-breaking-changes-release-notes: "传入不支持的属性将报错" (an unknown
 *    property is an error); no i18n_elements, no fallback; note and action ("交互模块") are gone;
 *  - card-json-v2-components/…: each component's fields (button, input, select_static, date_picker,
 *    form, column_set/column, markdown, div, hr, header);
 *  - server-docs/im-v1/message/create, 230099 sub-codes: 200621 (the card JSON is wrong), 200861
 *    (a tag schema 1 had and schema 2 does not), 11310 (element exceeds the limit).
 *  - card-json-v2-components/content-components/chart: the chart component (tag chart): chart_spec
 *    required, a VChart spec object (no JavaScript: plain JSON, so a known chart `type` and its
 *    data); aspect_ratio 1:1, 2:1, 4:3 or 16:9; color_theme brand, rainbow, complementary,
 *    converse or primary; height auto or 1~999px; preview a boolean;
 *  - the card's size: 30 KB, counted as the escaped string the card travels in (im-v1/message/create,
 *    230025 for the request; here 11310 for the card on its own, so a builder test sees it).
 * Components the project does not emit (img, table, …) are recognised as 2.0 tags, and only
 * their common fields are checked.
 */

export type CardErrCode = 200621 | 200861 | 11310;

export interface CardViolation {
  code: CardErrCode;
  /** Lark's ErrPath, e.g. "ROOT -> body -> elements -> [2](tag: note)". */
  path: string;
  message: string;
}

/** Most elements and components in one 2.0 card (text elements such as plain_text count too). */
export const MAX_CARD_ELEMENTS = 200;
/** Largest card, as the escaped JSON string in a message request's content (Lark's 30 KB). */
export const MAX_CARD_BYTES = 30 * 1024;

/** The card's size as Lark counts it: the card JSON as a string inside the request's JSON. */
export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8');
}

const ROOT_KEYS = ['schema', 'config', 'card_link', 'header', 'body'];
/** What a 1.0 card has at the top and a 2.0 card may not. */
const V1_ROOT_KEYS: Record<string, string> = {
  elements: 'JSON 2.0 的组件放在 body.elements 下',
  i18n_elements: 'JSON 2.0 不再支持 i18n_elements',
  i18n_header: 'JSON 2.0 不再支持 i18n_header',
  fallback: 'JSON 2.0 暂不支持 fallback',
};
const CONFIG_KEYS = [
  'streaming_mode', 'streaming_config', 'summary', 'locales', 'enable_forward', 'update_multi', 'width_mode',
  'use_custom_translation', 'enable_forward_interaction', 'style',
];
const HEADER_KEYS = ['title', 'subtitle', 'text_tag_list', 'i18n_text_tag_list', 'template', 'icon', 'padding'];
const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
const BODY_KEYS = ['elements', 'direction', 'padding', 'horizontal_spacing', 'horizontal_align', 'vertical_spacing', 'vertical_align'];
const LAYOUT_KEYS = ['direction', 'padding', 'horizontal_spacing', 'horizontal_align', 'vertical_spacing', 'vertical_align'];
const COMMON = ['tag', 'element_id', 'margin'];
const CONFIRM = 'confirm';

/** The 2.0 tags whose fields are checked one by one: the allowed fields of each. */
const FIELDS: Record<string, string[]> = {
  markdown: [...COMMON, 'content', 'i18n_content', 'text_align', 'text_size', 'icon'],
  div: [...COMMON, 'width', 'text', 'icon', 'text_size'],
  hr: COMMON,
  button: [
    ...COMMON, 'type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', CONFIRM, 'behaviors', 'name', 'form_action_type',
  ],
  input: [
    ...COMMON, 'name', 'required', 'disabled', 'disabled_tips', 'placeholder', 'default_value', 'width', 'behaviors', 'max_length', 'input_type',
    'show_icon', 'rows', 'auto_resize', 'max_rows', 'label', 'label_position', 'value', CONFIRM,
  ],
  select_static: [...COMMON, 'type', 'name', 'required', 'disabled', 'initial_option', 'initial_index', 'placeholder', 'width', 'behaviors', 'options', CONFIRM],
  date_picker: [...COMMON, 'name', 'required', 'disabled', 'placeholder', 'width', 'behaviors', 'initial_date', 'value', CONFIRM],
  form: [...COMMON, ...LAYOUT_KEYS, 'name', 'elements'],
  column_set: [...COMMON, 'horizontal_spacing', 'horizontal_align', 'flex_mode', 'background_style', 'action', 'columns'],
  column: [...COMMON, ...LAYOUT_KEYS, 'background_style', 'width', 'weight', 'elements', 'action'],
  chart: [...COMMON, 'aspect_ratio', 'color_theme', 'chart_spec', 'preview', 'height'],
};
/** VChart's chart types (spec.type) that a card's chart may carry. */
export const CHART_TYPES = [
  'line', 'area', 'bar', 'bar3d', 'pie', 'pie3d', 'rose', 'radar', 'scatter', 'wordCloud', 'funnel', 'funnel3d', 'map', 'heatmap', 'treemap',
  'sunburst', 'circlePacking', 'sankey', 'gauge', 'circularProgress', 'linearProgress', 'boxPlot', 'waterfall', 'histogram', 'rangeColumn',
  'rangeArea', 'liquid', 'venn', 'correlation', 'common',
];
const ASPECT_RATIOS = ['1:1', '2:1', '4:3', '16:9'];
const COLOR_THEMES = ['brand', 'rainbow', 'complementary', 'converse', 'primary'];
/** Other components of JSON 2.0: recognised, their own fields not checked. */
const OTHER_V2_TAGS = new Set([
  'interactive_container', 'collapsible_panel', 'img', 'img_combination', 'person', 'person_list', 'table', 'audio',
  'overflow', 'multi_select_static', 'select_person', 'multi_select_person', 'picker_time', 'picker_datetime', 'select_img', 'checker',
]);
/** Tags of 1.0 that 2.0 refuses (sub-code 200861), with what replaces them. */
const V1_TAGS: Record<string, string> = {
  note: '备注组件已废弃，请用普通文本（notation 字号、grey 颜色）',
  action: '交互模块已废弃，请直接放按钮，或用分栏排列',
};
/** Fields inside a form whose components need a name, and that only make sense in one. */
const FORM_FIELD_TAGS = new Set(['input', 'select_static', 'date_picker', 'multi_select_static', 'select_person', 'multi_select_person', 'picker_time', 'picker_datetime', 'checker', 'select_img']);

const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'];
const FLEX_MODES = ['none', 'stretch', 'flow', 'bisect', 'trisect'];
const TEXT_TAGS = ['plain_text', 'lark_md'];
const TEXT_KEYS = ['tag', 'content', 'i18n_content', 'element_id', 'text_size', 'text_color', 'text_align', 'lines'];

interface Walk {
  out: CardViolation[];
  count: number;
  elementIds: Set<string>;
  names: Set<string>;
}

const isObj = (v: unknown): v is Record<string, any> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
const at = (path: string, i: number, tag: unknown) => `${path} -> [${i}](tag: ${String(tag)})`;

/** Every way the card breaks the 2.0 rules; empty when Lark would take it. */
export function checkCard(card: unknown): CardViolation[] {
  const w: Walk = { out: [], count: 0, elementIds: new Set(), names: new Set() };
  const bad = (path: string, message: string, code: CardErrCode = 200621) => w.out.push({ code, path, message });
  if (!isObj(card)) {
    bad('ROOT', '卡片必须是 JSON 对象');
    return w.out;
  }
  if (card.schema !== '2.0') bad('ROOT -> schema', `schema 应为 "2.0"，实际为 ${JSON.stringify(card.schema)}`);
  for (const k of Object.keys(card)) {
    if (V1_ROOT_KEYS[k]) bad(`ROOT -> ${k}`, V1_ROOT_KEYS[k], 200861);
    else if (!ROOT_KEYS.includes(k)) bad(`ROOT -> ${k}`, `不支持的属性 ${k}`);
  }
  if (card.config !== undefined) checkConfig(card.config, bad);
  if (card.header !== undefined) checkHeader(card.header, w, bad);
  if (card.body !== undefined) {
    if (!isObj(card.body)) bad('ROOT -> body', 'body 必须是对象');
    else {
      unknownKeys(card.body, BODY_KEYS, 'ROOT -> body', bad);
      if (!Array.isArray(card.body.elements)) bad('ROOT -> body -> elements', 'body.elements 必须是数组');
      else checkElements(card.body.elements, 'ROOT -> body -> elements', { inForm: false }, w, bad);
    }
  }
  if (w.count > MAX_CARD_ELEMENTS) bad('ROOT', `element exceeds the limit：${w.count} 个组件和元素，超过 ${MAX_CARD_ELEMENTS} 个`, 11310);
  const bytes = cardBytes(card);
  if (bytes > MAX_CARD_BYTES) bad('ROOT', `card content exceeds the limit：${(bytes / 1024).toFixed(1)} KB，超过 ${MAX_CARD_BYTES / 1024} KB`, 11310);
  return w.out;
}

/** Lark's message for a refused card, as in its 230099 answers. */
export function cardErrorMessage(v: CardViolation): string {
  return `Failed to create card content, ext=ErrCode: ${v.code}; ErrPath: ${v.path}; ErrMsg: ${v.message}; `;
}

type Bad = (path: string, message: string, code?: CardErrCode) => void;

function unknownKeys(o: Record<string, unknown>, allowed: string[], path: string, bad: Bad): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(`${path} -> ${k}`, `不支持的属性 ${k}`);
}

function checkConfig(config: unknown, bad: Bad): void {
  if (!isObj(config)) return bad('ROOT -> config', 'config 必须是对象');
  for (const k of Object.keys(config)) {
    if (k === 'wide_screen_mode') bad('ROOT -> config -> wide_screen_mode', 'wide_screen_mode 是 1.0 的属性，2.0 用 width_mode', 200861);
    else if (!CONFIG_KEYS.includes(k)) bad(`ROOT -> config -> ${k}`, `不支持的属性 ${k}`);
  }
  if (config.update_multi !== undefined && config.update_multi !== true) bad('ROOT -> config -> update_multi', 'JSON 2.0 的 update_multi 只能为 true（共享卡片）');
  if (config.width_mode !== undefined && !['default', 'compact', 'fill'].includes(config.width_mode)) bad('ROOT -> config -> width_mode', `width_mode 不支持 ${JSON.stringify(config.width_mode)}`);
}

function checkHeader(header: unknown, w: Walk, bad: Bad): void {
  if (!isObj(header)) return bad('ROOT -> header', 'header 必须是对象');
  unknownKeys(header, HEADER_KEYS, 'ROOT -> header', bad);
  if (header.title === undefined) bad('ROOT -> header -> title', '标题组件必须有 title');
  else checkText(header.title, 'ROOT -> header -> title', w, bad);
  if (header.subtitle !== undefined) checkText(header.subtitle, 'ROOT -> header -> subtitle', w, bad);
  if (header.template !== undefined && !TEMPLATES.includes(header.template)) bad('ROOT -> header -> template', `标题颜色不支持 ${JSON.stringify(header.template)}`);
}

function checkText(t: unknown, path: string, w: Walk, bad: Bad, tags = TEXT_TAGS): void {
  w.count++;
  if (!isObj(t)) return bad(path, '文本必须是 {tag, content} 对象');
  if (!tags.includes(t.tag)) bad(`${path} -> tag`, `文本的 tag 应为 ${tags.join(' 或 ')}，实际为 ${JSON.stringify(t.tag)}`);
  if (typeof t.content !== 'string' && !isObj(t.i18n_content)) bad(`${path} -> content`, '文本必须有字符串 content');
  unknownKeys(t, TEXT_KEYS, path, bad);
}

function checkElements(list: unknown[], path: string, ctx: { inForm: boolean }, w: Walk, bad: Bad): void {
  list.forEach((el, i) => checkElement(el, i, path, ctx, w, bad));
}

function checkElement(el: unknown, i: number, parent: string, ctx: { inForm: boolean }, w: Walk, bad: Bad): void {
  if (!isObj(el) || typeof el.tag !== 'string') return bad(`${parent} -> [${i}]`, '组件必须是带 tag 的对象');
  const tag = el.tag;
  const path = at(parent, i, tag);
  w.count++;
  if (V1_TAGS[tag]) return bad(path, `cards of schema V2 no longer support this capability; unsupported tag ${tag}（${V1_TAGS[tag]}）`, 200861);
  if (tag === 'column') return bad(path, '列只能放在分栏（column_set）的 columns 里');
  if (!FIELDS[tag] && !OTHER_V2_TAGS.has(tag)) return bad(path, `未知组件 ${tag}`);
  if (typeof el.element_id === 'string') {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(el.element_id)) bad(`${path} -> element_id`, 'element_id 须以字母开头，只含字母、数字和下划线，不超过 20 个字符');
    if (w.elementIds.has(el.element_id)) bad(`${path} -> element_id`, `element_id ${el.element_id} 在卡片内重复`);
    w.elementIds.add(el.element_id);
  }
  if (FORM_FIELD_TAGS.has(tag) && !ctx.inForm && el.required === true) bad(`${path} -> required`, 'required 只能用在表单容器里的组件上');
  if (ctx.inForm && (FORM_FIELD_TAGS.has(tag) || tag === 'button')) formName(el, path, w, bad);
  if (!FIELDS[tag]) return;
  unknownKeys(el, FIELDS[tag], path, bad);
  COMPONENT_RULES[tag]?.(el, path, ctx, w, bad);
}

/** In a form every interactive component needs a name, unique in the whole card. */
function formName(el: Record<string, any>, path: string, w: Walk, bad: Bad): void {
  if (typeof el.name !== 'string' || !el.name) return bad(`${path} -> name`, '表单容器中的交互组件必须有 name');
  if (w.names.has(el.name)) bad(`${path} -> name`, `name ${el.name} 在卡片内重复`);
  w.names.add(el.name);
}

function checkBehaviors(b: unknown, path: string, bad: Bad, required: boolean): void {
  if (b === undefined) {
    if (required) bad(`${path} -> behaviors`, '按钮必须有 behaviors（回传交互或跳转链接）');
    return;
  }
  if (!Array.isArray(b) || !b.length) return bad(`${path} -> behaviors`, 'behaviors 必须是非空数组');
  b.forEach((x, i) => {
    const p = `${path} -> behaviors -> [${i}]`;
    if (!isObj(x)) return bad(p, 'behavior 必须是对象');
    if (x.type === 'callback') {
      if (!isObj(x.value)) bad(`${p} -> value`, '回传交互的 value 必须是对象（开放平台 SDK 只支持对象）');
      unknownKeys(x, ['type', 'value'], p, bad);
    } else if (x.type === 'open_url') {
      if (typeof x.default_url !== 'string' && typeof x.pc_url !== 'string') bad(p, '跳转链接需要 default_url');
      unknownKeys(x, ['type', 'default_url', 'android_url', 'ios_url', 'pc_url'], p, bad);
    } else bad(`${p} -> type`, `behavior 的 type 应为 callback 或 open_url，实际为 ${JSON.stringify(x.type)}`);
  });
}

function checkConfirm(el: Record<string, any>, path: string, w: Walk, bad: Bad): void {
  if (el.confirm === undefined) return;
  if (!isObj(el.confirm)) return bad(`${path} -> confirm`, 'confirm 必须是对象');
  unknownKeys(el.confirm, ['title', 'text'], `${path} -> confirm`, bad);
  checkText(el.confirm.title, `${path} -> confirm -> title`, w, bad, ['plain_text']);
  checkText(el.confirm.text, `${path} -> confirm -> text`, w, bad, ['plain_text']);
}

type Rule = (el: Record<string, any>, path: string, ctx: { inForm: boolean }, w: Walk, bad: Bad) => void;

const optionalText = (el: Record<string, any>, key: string, path: string, w: Walk, bad: Bad) => {
  if (el[key] !== undefined) checkText(el[key], `${path} -> ${key}`, w, bad, ['plain_text']);
};

const COMPONENT_RULES: Record<string, Rule> = {
  markdown: (el, path, _ctx, _w, bad) => {
    if (typeof el.content !== 'string') bad(`${path} -> content`, 'markdown 必须有字符串 content');
  },
  div: (el, path, _ctx, w, bad) => {
    if (el.text !== undefined) checkText(el.text, `${path} -> text`, w, bad);
  },
  button: (el, path, ctx, w, bad) => {
    if (el.type !== undefined && !BUTTON_TYPES.includes(el.type)) bad(`${path} -> type`, `按钮类型不支持 ${JSON.stringify(el.type)}`);
    if (el.size !== undefined && !['tiny', 'small', 'medium', 'large'].includes(el.size)) bad(`${path} -> size`, `按钮尺寸不支持 ${JSON.stringify(el.size)}`);
    optionalText(el, 'text', path, w, bad);
    optionalText(el, 'hover_tips', path, w, bad);
    if (el.form_action_type !== undefined) {
      if (!ctx.inForm) bad(`${path} -> form_action_type`, 'form_action_type 只能用在表单容器里的按钮上');
      else if (!['submit', 'reset'].includes(el.form_action_type)) bad(`${path} -> form_action_type`, 'form_action_type 应为 submit 或 reset');
    }
    checkBehaviors(el.behaviors, path, bad, el.form_action_type === undefined);
    checkConfirm(el, path, w, bad);
  },
  input: (el, path, _ctx, w, bad) => {
    optionalText(el, 'label', path, w, bad);
    optionalText(el, 'placeholder', path, w, bad);
    if (el.input_type !== undefined && !['text', 'multiline_text', 'password'].includes(el.input_type)) bad(`${path} -> input_type`, `输入类型不支持 ${JSON.stringify(el.input_type)}`);
    if (el.max_length !== undefined && !(Number.isInteger(el.max_length) && el.max_length >= 1 && el.max_length <= 1000)) bad(`${path} -> max_length`, 'max_length 应为 1~1,000 的整数');
    if (el.rows !== undefined && !(Number.isInteger(el.rows) && el.rows >= 1)) bad(`${path} -> rows`, 'rows 应为正整数');
    if (el.label_position !== undefined && !['top', 'left'].includes(el.label_position)) bad(`${path} -> label_position`, 'label_position 应为 top 或 left');
    if (el.default_value !== undefined && typeof el.default_value !== 'string') bad(`${path} -> default_value`, 'default_value 必须是字符串');
    if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, bad, false);
    checkConfirm(el, path, w, bad);
  },
  select_static: (el, path, _ctx, w, bad) => {
    optionalText(el, 'placeholder', path, w, bad);
    if (!Array.isArray(el.options) || !el.options.length) bad(`${path} -> options`, '下拉选择必须有选项（options 不能为空）');
    else {
      el.options.forEach((o: unknown, i: number) => {
        const p = `${path} -> options -> [${i}]`;
        if (!isObj(o)) return bad(p, '选项必须是 {text, value} 对象');
        unknownKeys(o, ['text', 'value', 'icon'], p, bad);
        checkText(o.text, `${p} -> text`, w, bad);
        if (typeof o.value !== 'string' || !o.value) bad(`${p} -> value`, '选项的 value 必须是非空字符串');
      });
    }
    if (el.initial_option !== undefined && typeof el.initial_option !== 'string') bad(`${path} -> initial_option`, 'initial_option 必须是字符串');
    if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, bad, false);
    checkConfirm(el, path, w, bad);
  },
  date_picker: (el, path, _ctx, w, bad) => {
    optionalText(el, 'placeholder', path, w, bad);
    if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) bad(`${path} -> initial_date`, 'initial_date 的格式应为 yyyy-MM-dd');
    if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, bad, false);
    checkConfirm(el, path, w, bad);
  },
  form: (el, path, ctx, w, bad) => {
    if (ctx.inForm) return bad(path, '表单容器不能嵌套表单容器');
    if (typeof el.name !== 'string' || !el.name) bad(`${path} -> name`, '表单容器必须有 name');
    else if (w.names.has(el.name)) bad(`${path} -> name`, `name ${el.name} 在卡片内重复`);
    else w.names.add(el.name);
    if (!Array.isArray(el.elements)) return bad(`${path} -> elements`, '表单容器必须有 elements 数组');
    checkElements(el.elements, `${path} -> elements`, { inForm: true }, w, bad);
    if (!hasSubmit(el.elements)) bad(`${path} -> elements`, '表单容器内必须有一个 form_action_type 为 submit 的按钮');
  },
  chart: (el, path, _ctx, _w, bad) => checkChart(el, path, bad),
  column_set: (el, path, ctx, w, bad) => {
    if (el.flex_mode !== undefined && !FLEX_MODES.includes(el.flex_mode)) bad(`${path} -> flex_mode`, `flex_mode 不支持 ${JSON.stringify(el.flex_mode)}`);
    if (!Array.isArray(el.columns)) return bad(`${path} -> columns`, '分栏必须有 columns 数组');
    el.columns.forEach((c: unknown, i: number) => checkColumn(c, at(`${path} -> columns`, i, isObj(c) ? c.tag : undefined), ctx, w, bad));
  },
};

function checkColumn(c: unknown, path: string, ctx: { inForm: boolean }, w: Walk, bad: Bad): void {
  w.count++;
  if (!isObj(c) || c.tag !== 'column') return bad(path, '分栏的 columns 里只能放列（tag 为 column）');
  unknownKeys(c, FIELDS.column, path, bad);
  if (c.width !== undefined && !['auto', 'weighted'].includes(c.width)) {
    const px = /^(\d+)px$/.exec(String(c.width));
    if (!px || Number(px[1]) < 16 || Number(px[1]) > 600) bad(`${path} -> width`, '列宽应为 auto、weighted 或 16px~600px');
  }
  if (c.weight !== undefined && !(Number.isInteger(c.weight) && c.weight >= 1 && c.weight <= 5)) bad(`${path} -> weight`, 'weight 应为 1~5 的整数');
  if (c.elements !== undefined) {
    if (!Array.isArray(c.elements)) return bad(`${path} -> elements`, '列的 elements 必须是数组');
    checkElements(c.elements, `${path} -> elements`, ctx, w, bad);
  }
}

function hasSubmit(list: unknown[]): boolean {
  return list.some((x) => {
    if (!isObj(x)) return false;
    if (x.tag === 'button' && x.form_action_type === 'submit') return true;
    if (x.tag === 'column_set' && Array.isArray(x.columns)) return x.columns.some((c: any) => Array.isArray(c?.elements) && hasSubmit(c.elements));
    return Array.isArray(x.elements) && hasSubmit(x.elements);
  });
}

/** A chart component: its VChart spec (required, a known type, data given) and its display fields. */
function checkChart(el: Record<string, any>, path: string, bad: Bad): void {
  if (el.aspect_ratio !== undefined && !ASPECT_RATIOS.includes(el.aspect_ratio)) bad(`${path} -> aspect_ratio`, `aspect_ratio 应为 ${ASPECT_RATIOS.join('、')}`);
  if (el.color_theme !== undefined && !COLOR_THEMES.includes(el.color_theme)) bad(`${path} -> color_theme`, `color_theme 不支持 ${JSON.stringify(el.color_theme)}`);
  if (el.preview !== undefined && typeof el.preview !== 'boolean') bad(`${path} -> preview`, 'preview 必须是布尔值');
  if (el.height !== undefined && el.height !== 'auto') {
    const px = /^(\d+)px$/.exec(String(el.height));
    if (!px || Number(px[1]) < 1 || Number(px[1]) > 999) bad(`${path} -> height`, 'height 应为 auto 或 1px~999px');
  }
  const spec = el.chart_spec;
  const p = `${path} -> chart_spec`;
  if (spec === undefined) return bad(p, '图表组件必须有 chart_spec');
  if (!isObj(spec)) return bad(p, 'chart_spec 必须是 VChart 图表定义对象');
  if (typeof spec.type !== 'string' || !CHART_TYPES.includes(spec.type)) bad(`${p} -> type`, `chart_spec.type 不是 VChart 的图表类型：${JSON.stringify(spec.type)}`);
  const data: unknown[] = Array.isArray(spec.data) ? spec.data : isObj(spec.data) ? [spec.data] : [];
  if (!data.length) bad(`${p} -> data`, 'chart_spec 必须有 data（{ values: [...] } 或其数组）');
  data.forEach((d, i) => {
    if (!isObj(d) || !Array.isArray(d.values)) bad(`${p} -> data${Array.isArray(spec.data) ? ` -> [${i}]` : ''} -> values`, 'data 的 values 必须是数组');
  });
}
