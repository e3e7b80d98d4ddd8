/**
 * Small pure builders for Lark card JSON 2.0. Only properties Lark documents are emitted (it
 * rejects unknown ones): a select or date picker carries its label as the placeholder.
 * A builder returns JSON and never sends. The console renders the same JSON, so what works there looks the same in Lark.
 */
export type CardElement = Record<string, unknown>;
export type Template = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey';

const plain = (content: string) => ({ tag: 'plain_text', content });

export function card(opts: { title: string; subtitle?: string; template?: Template; elements: CardElement[] }): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    header: {
      title: plain(opts.title),
      ...(opts.subtitle ? { subtitle: plain(opts.subtitle) } : {}),
      template: opts.template ?? 'blue',
    },
    body: { elements: opts.elements },
  };
}

/** Escapes what Lark markdown would read as markup in text that came from a person. */
export function escapeMd(s: string): string {
  return s.replace(/([\\*_~`[\]<>#|])/g, '\\$1');
}

export const markdown = (content: string): CardElement => ({ tag: 'markdown', content });
export const divider = (): CardElement => ({ tag: 'hr' });

/** Label: value lines, each value escaped. */
export function fields(pairs: Array<[string, string | number | null | undefined]>): CardElement {
  const lines = pairs
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `**${k}**：${escapeMd(String(v))}`);
  return markdown(lines.join('\n'));
}

export function button(opts: {
  text: string;
  value: Record<string, unknown>;
  type?: 'default' | 'primary' | 'danger' | 'primary_filled' | 'danger_filled';
  name?: string;
  confirm?: { title: string; text: string };
}): CardElement {
  return {
    tag: 'button',
    ...(opts.name ? { name: opts.name } : {}),
    text: plain(opts.text),
    type: opts.type ?? 'default',
    behaviors: [{ type: 'callback', value: opts.value }],
    ...(opts.confirm ? { confirm: { title: plain(opts.confirm.title), text: plain(opts.confirm.text) } } : {}),
  };
}

/** Buttons side by side. */
export function buttonRow(buttons: CardElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

export function input(opts: {
  name: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  maxLength?: number;
  defaultValue?: string;
  multiline?: boolean;
}): CardElement {
  return {
    tag: 'input',
    name: opts.name,
    label: plain(opts.label),
    label_position: 'top',
    ...(opts.placeholder ? { placeholder: plain(opts.placeholder) } : {}),
    required: opts.required ?? false,
    ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
    ...(opts.defaultValue ? { default_value: opts.defaultValue } : {}),
    ...(opts.multiline ? { input_type: 'multiline_text', rows: 4 } : {}),
  };
}

export function select(opts: {
  name: string;
  label: string;
  options: Array<string | { text: string; value: string }>;
  placeholder?: string;
  required?: boolean;
  initial?: string;
}): CardElement {
  return {
    tag: 'select_static',
    name: opts.name,
    placeholder: plain(opts.placeholder ?? opts.label),
    required: opts.required ?? false,
    options: opts.options.map((o) =>
      typeof o === 'string' ? { text: plain(o), value: o } : { text: plain(o.text), value: o.value },
    ),
    ...(opts.initial ? { initial_option: opts.initial } : {}),
  };
}

export function datePicker(opts: { name: string; label: string; initial?: string; required?: boolean }): CardElement {
  return {
    tag: 'date_picker',
    name: opts.name,
    placeholder: plain(opts.label),
    required: opts.required ?? false,
    ...(opts.initial ? { initial_date: opts.initial } : {}),
  };
}

/** A form container: its fields come back as formValue when the submit button is clicked. */
export function form(opts: { name: string; elements: CardElement[]; submit: { text: string; value: Record<string, unknown> } }): CardElement {
  return {
    tag: 'form',
    name: opts.name,
    elements: [
      ...opts.elements,
      {
        tag: 'button',
        name: `${opts.name}_submit`,
        text: plain(opts.submit.text),
        type: 'primary_filled',
        form_action_type: 'submit',
        behaviors: [{ type: 'callback', value: opts.submit.value }],
      },
    ],
  };
}

/** Lark's chart widths to heights (card JSON 2.0 `chart`: aspect_ratio). */
export type ChartAspect = '1:1' | '2:1' | '4:3' | '16:9';

/**
 * A chart: a VChart spec as plain JSON data (Lark runs no JavaScript in a card, so no functions),
 * drawn by Lark's client and by the console page alike.
 */
export function chart(opts: { spec: Record<string, unknown>; aspect?: ChartAspect; elementId?: string }): CardElement {
  return {
    tag: 'chart',
    ...(opts.elementId ? { element_id: opts.elementId } : {}),
    aspect_ratio: opts.aspect ?? '16:9',
    chart_spec: opts.spec,
  };
}
