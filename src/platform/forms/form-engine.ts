import { maskIdNumber, maskPersonalDataInText, maskPhone } from '../personal-data/masking';
import { charCount } from './parsed';
import { card as cardKit, buttonRow, button, markdown, escapeMd } from '../cards/card-kit';
import { genericSummaryCard } from './form-cards';
import { card, Outgoing, text } from '../chat/messages';
import type { FieldDef, FormDef, FormState, FormValues, SummaryView, Turn } from './form-types';

/**
 * Runs one turn of any form on its plain-JSON state: answer the current field, fill several at
 * once (a pasted block, the card), 上一步, 跳过, 修改 <字段>, and work out what to ask next. It
 * touches no database; the runner loads and saves the state around it. A wrong answer leaves
 * every value as it was and re-asks with the validator's reason.
 */
export class FormEngine<C> {
  readonly notes: string[] = [];
  private ctxCache: { key: string; ctx: C } | null = null;

  constructor(
    readonly form: FormDef<C>,
    readonly state: FormState,
    readonly turn: Turn,
    /** Whether personal data may be shown whole in this turn's replies. */
    readonly reveal: boolean,
  ) {}

  // --- reading the state ------------------------------------------------------------------

  values(): FormValues {
    const v: FormValues = {};
    for (const [k, e] of Object.entries(this.state.values)) v[k] = e.v;
    return v;
  }

  /** The context for the present values; rebuilt only when the values changed. */
  async ctx(): Promise<C> {
    const key = JSON.stringify(this.state.values);
    if (this.ctxCache?.key !== key) this.ctxCache = { key, ctx: await this.form.context(this.turn, this.values()) };
    return this.ctxCache.ctx;
  }

  field(key: string | null): FieldDef<C> | undefined {
    return key ? this.form.fields.find((f) => f.key === key) : undefined;
  }

  isActive(f: FieldDef<C>): boolean {
    return f.when ? f.when(this.values()) : true;
  }

  activeFields(): FieldDef<C>[] {
    return this.form.fields.filter((f) => this.isActive(f));
  }

  /** A field by its label or one of its aliases, as in “修改 电话” or “修改身份证”. */
  findField(name: string): FieldDef<C> | undefined {
    const n = name.replace(/[\s\u3000:：]/g, '');
    return this.form.fields.find((f) => f.label === n || f.key === n || (f.aliases ?? []).includes(n));
  }

  /** How a value reads in this turn: personal data masked unless it may be revealed. */
  shown(f: FieldDef<C>, display: string): string {
    if (this.reveal) return display;
    if (f.personal === 'idNumber') return maskIdNumber(display);
    if (f.personal === 'phone') return maskPhone(display);
    return maskPersonalDataInText(display);
  }

  // --- changing the state -----------------------------------------------------------------

  private setValue(f: FieldDef<C>, value: unknown, display: string): void {
    const before = this.state.values[f.key];
    const changed = !before || JSON.stringify(before.v) !== JSON.stringify(value);
    this.state.values[f.key] = { v: value, d: display };
    delete this.state.skipped[f.key];
    this.state.invalid = (this.state.invalid ?? []).filter((k) => k !== f.key);
    this.state.history = [...this.state.history.filter((k) => k !== f.key), f.key];
    if (changed) {
      this.state.rev += 1;
      this.clearDependents(f.key);
    }
  }

  private clearDependents(key: string): void {
    for (const g of this.form.fields) {
      if (!(g.dependsOn ?? []).includes(key)) continue;
      if (this.state.values[g.key] || this.state.skipped[g.key]) {
        delete this.state.values[g.key];
        delete this.state.skipped[g.key];
        this.state.history = this.state.history.filter((k) => k !== g.key);
        this.clearDependents(g.key);
      }
    }
  }

  private markSkipped(f: FieldDef<C>, by: 'user' | 'auto', c: C): void {
    const def = f.onSkip?.(c);
    if (def) this.state.values[f.key] = { v: def.value, d: def.display };
    else delete this.state.values[f.key];
    this.state.skipped[f.key] = by;
    if (by === 'user') this.state.invalid = (this.state.invalid ?? []).filter((k) => k !== f.key);
    this.state.history = [...this.state.history.filter((k) => k !== f.key), f.key];
    this.state.rev += 1;
    this.clearDependents(f.key);
  }

  /** Parses one answer for a field; on success stores it. Returns the reason when refused. */
  async accept(f: FieldDef<C>, raw: string): Promise<string | null> {
    const c = await this.ctx();
    const r = f.parse(raw, c, this.values());
    if (!r.ok) return r.reason;
    this.setValue(f, r.value, r.display);
    return null;
  }

  /** The person's answer to the field being asked. */
  async answer(raw: string): Promise<void> {
    const f = this.field(this.state.current);
    if (this.state.step !== 'ask' || !f) {
      await this.advance();
      return;
    }
    const reason = await this.accept(f, raw);
    if (reason) {
      this.state.retries += 1;
      this.notes.push(`❌ ${reason}`);
      return;
    }
    this.state.retries = 0;
    this.notes.push(`✅ ${f.label}：${this.shown(f, this.state.values[f.key].d)}`);
    await this.advance();
  }

  /** Several raw answers at once (a pasted block, the card). Bad ones are reported and left empty. */
  async fillMany(entries: Array<{ key: string; raw: string }>, unknown: string[] = [], duplicates: string[] = []): Promise<void> {
    this.state.quiet = true;
    const filled: string[] = [];
    const problems: string[] = [];
    // In the form's order, so that a choice that depends on another field sees it first.
    const byKey = new Map(entries.map((e) => [e.key, e.raw]));
    for (const f of this.form.fields) {
      if (!byKey.has(f.key)) continue;
      const raw = byKey.get(f.key)!;
      if (raw.trim() === '') continue;
      if (!this.isActive(f)) {
        problems.push(`${f.label}：本次登记不需要填写，已忽略。`);
        continue;
      }
      const reason = await this.accept(f, raw);
      if (reason) {
        problems.push(`${f.label}：${reason}`);
        if (!this.state.values[f.key]) {
          delete this.state.skipped[f.key];
          this.state.invalid = [...(this.state.invalid ?? []).filter((k) => k !== f.key), f.key];
        }
      } else filled.push(f.label);
    }
    if (filled.length) this.notes.push(`✅ 已填写：${filled.join('、')}`);
    if (problems.length) this.notes.push(`❌ 以下内容有误，未填入，请重新填写：\n${problems.map((p) => `· ${p}`).join('\n')}`);
    if (duplicates.length) {
      const labels = duplicates.map((k) => this.field(k)?.label ?? k);
      this.notes.push(`⚠️ ${labels.join('、')}出现了不止一次，已按最后一次填写。`);
    }
    if (unknown.length) {
      const shownLines = unknown.slice(0, 5).map((u) => `· ${maskPersonalDataInText(charCount(u) > 30 ? `${[...u].slice(0, 30).join('')}…` : u)}`);
      this.notes.push(`⚠️ 以下内容未能识别，已忽略（字段名可用：${this.form.fields.map((f) => f.label).join('、')}）：\n${shownLines.join('\n')}${unknown.length > 5 ? `\n……等 ${unknown.length} 处` : ''}`);
    }
    this.state.retries = 0;
    await this.advance();
  }

  async skip(): Promise<void> {
    const f = this.field(this.state.current);
    if (this.state.step !== 'ask' || !f) {
      this.notes.push('现在没有可以跳过的项目。');
      return;
    }
    if (!f.optional) {
      this.notes.push(`“${f.label}”是必填项，不能跳过。`);
      return;
    }
    this.markSkipped(f, 'user', await this.ctx());
    this.state.retries = 0;
    const v = this.state.values[f.key];
    this.notes.push(v ? `⏭ 已跳过${f.label}（使用：${this.shown(f, v.d)}）` : `⏭ 已跳过${f.label}`);
    await this.advance();
  }

  /** 上一步: ask again the field answered last (its answer is kept until a new one comes; a skip is undone). */
  async back(): Promise<void> {
    const current = this.state.step === 'ask' ? this.state.current : null;
    const previous = [...this.state.history].reverse().find((k) => k !== current && this.field(k) && this.isActive(this.field(k)!));
    if (!previous) {
      this.notes.push('已经是第一项了。');
      return;
    }
    this.state.history = this.state.history.filter((k) => k !== previous);
    // A skip is undone by going back over it: the field is asked again on the way forward.
    if (!this.state.values[previous]) delete this.state.skipped[previous];
    this.state.step = 'ask';
    this.state.current = previous;
    this.state.retries = 0;
  }

  /** 修改 <字段> [新值]. */
  async edit(name: string, rest: string): Promise<void> {
    const f = this.findField(name);
    if (!f) {
      this.notes.push(`没有名为“${name.slice(0, 20)}”的项目。可修改：${this.activeFields().map((x) => x.label).join('、')}。`);
      return;
    }
    if (!this.isActive(f)) {
      this.notes.push(`本次登记不需要填写“${f.label}”。`);
      return;
    }
    if (rest.trim() !== '') {
      const reason = await this.accept(f, rest);
      if (reason) {
        this.state.step = 'ask';
        this.state.current = f.key;
        this.notes.push(`❌ ${reason}`);
        return;
      }
      this.notes.push(`✅ ${f.label}：${this.shown(f, this.state.values[f.key].d)}`);
      await this.advance();
      return;
    }
    this.state.step = 'ask';
    this.state.current = f.key;
    this.state.retries = 0;
  }

  /**
   * Works out what comes next: the first active field with neither a value nor a skip. In quiet
   * mode (block, card) optional fields marked quietInBlock are passed over. A choice with no
   * options is passed over with its note. When nothing is missing, the cross-field checks run,
   * then the summary.
   */
  async advance(): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      const c = await this.ctx();
      const next = this.form.fields.find((f) => this.isActive(f) && !this.state.values[f.key] && !this.state.skipped[f.key]);
      if (next) {
        // An optional choice with nothing to choose from (no session that day) is passed over;
        // a required one is still asked, so a broken list shows instead of saving a gap.
        if (next.optional && next.choices && next.choices(c).length === 0) {
          this.markSkipped(next, 'auto', c);
          if (next.noChoicesNote) this.notes.push(next.noChoicesNote);
          continue;
        }
        if (this.state.quiet && next.optional && next.quietInBlock && !(this.state.invalid ?? []).includes(next.key)) {
          this.markSkipped(next, 'auto', c);
          continue;
        }
        this.state.step = 'ask';
        this.state.current = next.key;
        return;
      }
      const userSkipped = Object.entries(this.state.skipped).filter(([, by]) => by === 'user').map(([k]) => k);
      const problem = this.form.crossCheck?.(this.values(), userSkipped);
      if (problem) {
        this.state.step = 'ask';
        this.state.current = problem.field;
        this.notes.push(`❌ ${problem.reason}`);
        return;
      }
      this.state.step = 'confirm';
      this.state.current = null;
      return;
    }
    throw new Error('form engine: no progress');
  }

  // --- what the person sees -----------------------------------------------------------------

  async promptFor(f: FieldDef<C>): Promise<Outgoing> {
    const c = await this.ctx();
    const active = this.activeFields();
    const pos = active.findIndex((x) => x.key === f.key) + 1;
    const lines = [`（${pos}/${active.length}）${f.label}：${f.prompt(c)}`];
    const cur = this.state.values[f.key];
    if (cur) lines.push(`当前：${this.shown(f, cur.d)}（回复新内容即修改${f.optional ? '，或回复“跳过”清空' : ''}）`);
    if (this.state.retries >= 3) lines.push('如需帮助：回复“上一步”返回，“取消”放弃本次登记。');
    const prompt = lines.join('\n');
    const options = f.choices?.(c) ?? [];
    if (options.length === 0 || options.length > 30) return text(prompt);
    // A choice: the same words, with a button per option (clicking answers like typing it).
    return card(
      cardKit({
        title: `${this.form.title} · ${f.label}`,
        template: 'blue',
        elements: [
          markdown(escapeMd(prompt)),
          buttonRow(options.map((o) => button({ text: o, value: { action: 'form.answer', form: this.form.name, field: f.key, answer: o } }))),
          ...(f.optional ? [buttonRow([button({ text: '跳过', value: { action: 'form.skip', form: this.form.name, field: f.key } })])] : []),
        ],
      }),
    );
  }

  summaryView(): SummaryView {
    const rows = this.activeFields()
      .filter((f) => this.state.values[f.key])
      .map((f) => ({ key: f.key, label: f.label, value: this.shown(f, this.state.values[f.key].d) }));
    return { title: this.form.title, rows, notes: [], form: this.form.name, rev: this.state.rev };
  }

  /** The replies of this turn: what was noted, then the next question or the summary. */
  async render(): Promise<Outgoing[]> {
    const out: Outgoing[] = [];
    if (this.notes.length) out.push(text(this.notes.join('\n')));
    if (this.state.step === 'ask') {
      const f = this.field(this.state.current);
      if (f) out.push(await this.promptFor(f));
    } else if (this.state.step === 'confirm') {
      const view = this.summaryView();
      out.push(card(this.form.summaryCard ? this.form.summaryCard(view, await this.ctx()) : genericSummaryCard(view)));
    }
    return out;
  }
}
