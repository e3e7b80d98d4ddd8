import type { Core } from '../core/feature';
import { ForbiddenError } from '../errors/user-error';
import { formatChineseDate, shanghaiDate, shanghaiTime } from '../calendar/domain/dates';
import { Draft, DraftConflictError, DraftStore } from './draft-store';
import { ROLE_NAMES } from '../directory/user-store';
import type { Context, Middleware, Router } from '../chat/router';
import { card, IncomingAction, Outgoing, text } from '../chat/messages';
import { FormEngine } from './form-engine';
import { editPickCard, startCard } from './form-cards';
import { Control, parseControl } from './form-controls';
import { FormDef, FormState, newFormState, Turn } from './form-types';

export const CONFLICT_REPLY = '这份表单刚刚被另一条消息更新了（可能是重复发送或多处同时操作）。为避免互相覆盖，本条未保存，请查看最新进度后重新发送。';
export const NO_FORM_REPLY = '您当前没有正在填写的表单。发送“登记”开始信访登记。';
const STALE_BUTTON = '这个按钮已过期（表单已有新的进度），请以最新的消息为准：';
/** A save interrupted (crash, restart) for longer than this is given back to the person. */
const SAVING_STALE_MS = 2 * 60 * 1000;

/**
 * Binds the forms engine to chat: loads the draft of (user, chat), checks its expiry, runs the
 * turn on a copy of its state and saves it back only if no other turn saved in between (the
 * draft's version). Nothing of a turn lives in memory between messages.
 */
export class FormRunner {
  private readonly forms = new Map<string, FormDef<any>>();
  /** Command words that start a form: while a draft is open they reach their command. */
  private readonly startWords = new Set<string>();

  constructor(
    private readonly core: Core,
    readonly drafts: DraftStore,
  ) {}

  register<C>(form: FormDef<C>, startWords: string[] = []): this {
    this.forms.set(form.name, form);
    for (const w of startWords) this.startWords.add(w);
    return this;
  }

  get ttlMs(): number {
    return this.core.config.DRAFT_TTL_HOURS * 3600 * 1000;
  }

  turnOf(ctx: Context): Turn {
    return { user: ctx.user, chatId: ctx.incoming.chatId, chatType: ctx.incoming.chatType, now: ctx.now };
  }

  /**
   * Personal data is shown whole only to the staff/admin who typed it, checking their own draft
   * in a P2P chat; in a group everyone present could read it, so it is masked there.
   */
  mayReveal(turn: Turn): boolean {
    return turn.chatType === 'p2p' && (turn.user.role === 'staff' || turn.user.role === 'admin');
  }

  private form(name: string): FormDef<any> {
    const f = this.forms.get(name);
    if (!f) throw new Error(`unknown form ${name}`);
    return f;
  }

  /**
   * What the middleware read for this message, so the command it passes the turn to (登记 …)
   * does not read the draft again. Keyed by the Incoming, which lives for one turn only.
   */
  private readonly seen = new WeakMap<object, { draft: Draft<FormState> | null; expired: string | null }>();

  private async loadFor(ctx: Context): Promise<{ draft: Draft<FormState> | null; expired: string | null }> {
    return this.seen.get(ctx.incoming) ?? this.load(this.turnOf(ctx));
  }

  /** The open draft, or why there is none any more (it expired: deleted, with a notice). */
  async load(turn: Turn): Promise<{ draft: Draft<FormState> | null; expired: string | null }> {
    const draft = await this.drafts.get<FormState>(turn.user.id, turn.chatId);
    if (!draft) return { draft: null, expired: null };
    if (draft.expiresAt.getTime() <= turn.now.getTime() || !this.forms.has(draft.form)) {
      await this.drafts.remove(turn.user.id, turn.chatId, draft.version);
      const title = this.forms.get(draft.form)?.title ?? '表单';
      const at = `${formatChineseDate(shanghaiDate(draft.updatedAt), false)} ${shanghaiTime(draft.updatedAt)}`;
      return {
        draft: null,
        expired: `⌛ 您的${title}草稿（最后操作于 ${at}）已超过 ${this.core.config.DRAFT_TTL_HOURS} 小时未操作，已自动作废，内容没有保存。如需${title}，请重新开始。`,
      };
    }
    return { draft, expired: null };
  }

  private checkRole(form: FormDef<any>, turn: Turn): void {
    if (!form.roles.includes(turn.user.role)) {
      throw new ForbiddenError(`您的角色是“${ROLE_NAMES[turn.user.role]}”，不能进行${form.title}。`);
    }
  }

  /**
   * Runs a turn on an open draft: the engine works on a copy of the state, which is saved only
   * if the draft is still at the version read. `fn` may return replies of its own.
   */
  private async withDraft(
    turn: Turn,
    draft: Draft<FormState>,
    fn: (engine: FormEngine<any>) => Promise<Outgoing[] | void>,
  ): Promise<Outgoing[]> {
    const form = this.form(draft.form);
    const state: FormState = structuredClone(draft.state);
    const engine = new FormEngine(form, state, turn, this.mayReveal(turn));
    if (state.step === 'saving') {
      const since = state.savingSince ? Date.parse(state.savingSince) : 0;
      if (turn.now.getTime() - since < SAVING_STALE_MS) return [text('正在保存您刚才确认的内容，请稍候几秒再查看结果。')];
      state.step = 'confirm';
      delete state.savingSince;
      engine.notes.push('⚠️ 上次点“确认”时保存被中断，无法确定是否已经保存。请先发送“查询 信访人姓名”核对，确实没有时再回复“确认”，以免重复登记。');
    }
    const own = await fn(engine);
    const replies = own ?? (await engine.render());
    const saved = await this.drafts.save(draft, state, turn.now, this.ttlMs);
    if (!saved) return [text(CONFLICT_REPLY)];
    return replies;
  }

  /** Stores a new draft; false when another turn created one for this person and chat first. */
  private async createDraft(turn: Turn, form: FormDef<any>, state: FormState): Promise<boolean> {
    try {
      await this.drafts.create(turn.user.id, turn.chatId, form.name, state, turn.now, this.ttlMs);
      return true;
    } catch (err) {
      if (err instanceof DraftConflictError) return false;
      throw err;
    }
  }

  // --- starting ---------------------------------------------------------------------------

  /** Starts a form; with a pasted block, fills what it gives and asks for the rest. */
  async start(ctx: Context, formName: string, block = ''): Promise<Outgoing[]> {
    const turn = this.turnOf(ctx);
    const form = this.form(formName);
    this.checkRole(form, turn);
    const { draft, expired } = await this.loadFor(ctx);
    const head: Outgoing[] = expired ? [text(expired)] : [];
    if (draft) {
      const open = this.form(draft.form);
      const engine = new FormEngine(open, structuredClone(draft.state), turn, this.mayReveal(turn));
      const who = draft.state.values.name ? `（${engine.shown(open.fields[0], draft.state.values.name.d)}）` : '';
      const replies = await engine.render();
      return [
        text(`您还有一份未完成的${open.title}${who}。请先继续填完并回复“确认”保存，或回复“取消”放弃，再开始新的${form.title}。`),
        ...replies,
      ];
    }
    const state = newFormState(form.name, turn.now);
    const engine = new FormEngine(form, state, turn, this.mayReveal(turn));
    const intro: Outgoing[] = [];
    if (block.trim() !== '' && form.parseBlock) {
      const parsed = form.parseBlock(block);
      if (parsed.entries.length) await engine.fillMany(parsed.entries, parsed.unknown, parsed.duplicates);
      else {
        engine.notes.push(`没有识别出“字段：值”格式的内容。粘贴登记信息时请每行一项，如：\n姓名：张某某\n电话：13812345678\n事项内容：……\n下面开始逐项填写。`);
        await engine.advance();
      }
    } else {
      intro.push(card(startCard(form)));
      await engine.advance();
    }
    const replies = await engine.render();
    if (!(await this.createDraft(turn, form, state))) return [text(CONFLICT_REPLY)];
    return [...head, ...intro, ...replies];
  }

  // --- chat text ----------------------------------------------------------------------------

  /**
   * While a draft is open, free text answers the current field. Control words (确认, 取消, 上一步,
   * 跳过, 修改 <字段>) steer the form. A command still works: a bare command word (帮助, 我的待办)
   * always runs it; a command with more words runs it too, except when the form waits for a
   * free-text field (姓名, 住址, 事项内容) — “查询工资为何没有发放……” typed as 事项内容 is the
   * answer, not a search. A form's start word (登记 …) always reaches its command, which refuses
   * to open a second draft.
   */
  middleware(router: Router): Middleware {
    return async (ctx, next) => {
      if (ctx.incoming.kind !== 'message') return next();
      const turn = this.turnOf(ctx);
      const { draft, expired } = await this.load(turn);
      // The expiry is told here, once; a command run next sees the draft as gone.
      this.seen.set(ctx.incoming, { draft, expired: null });
      const msg = ctx.incoming.text;
      if (!draft) {
        if (!expired) return next();
        return router.isCommand(msg) ? [text(expired), ...(await next())] : [text(expired)];
      }
      const form = this.form(draft.form);
      const current = draft.state.step === 'ask' ? form.fields.find((f) => f.key === draft.state.current) : undefined;

      const control = parseControl(msg, form, current?.optional === true);
      if (control) return this.control(ctx, draft, control);

      const m = router.matchCommand(msg);
      const isStart = m ? m.listener.names.some((n) => this.startWords.has(n)) : false;
      if (m && (isStart || m.args === '' || !current?.freeText)) {
        const out = await next();
        if (isStart) return out;
        const where = current ? `当前请填写：${current.label}` : '请回复“确认”保存';
        return [...out, text(`📝 您的${form.title}还未完成（${where}；回复“取消”可放弃）。`)];
      }

      if (form.looksLikeBlock?.(msg) && form.parseBlock) {
        const parsed = form.parseBlock(msg);
        return this.withDraft(turn, draft, (e) => e.fillMany(parsed.entries, parsed.unknown, parsed.duplicates));
      }
      if (draft.state.step === 'ask') return this.withDraft(turn, draft, (e) => e.answer(msg));
      if (draft.state.step === 'confirm') {
        return [text('请核对确认信息：无误请回复“确认”保存；要改某一项回复“修改 字段名”（如：修改 电话）；回复“取消”放弃。')];
      }
      return this.withDraft(turn, draft, async () => undefined);
    };
  }

  /** 确认, 取消, 上一步, 跳过, 修改 typed while a draft is open. */
  async control(ctx: Context, draft: Draft<FormState>, c: Control): Promise<Outgoing[]> {
    const turn = this.turnOf(ctx);
    switch (c.word) {
      case 'confirm':
        return this.confirm(turn, draft);
      case 'cancel':
        return this.cancel(turn, draft);
      case 'back':
        return this.withDraft(turn, draft, (e) => e.back());
      case 'skip':
        return this.withDraft(turn, draft, (e) => e.skip());
      case 'edit':
        if (!c.field) {
          const form = this.form(draft.form);
          const e = new FormEngine(form, draft.state, turn, this.mayReveal(turn));
          return [card(editPickCard(form.name, form.title, e.activeFields().map((f) => ({ key: f.key, label: f.label }))))];
        }
        return this.withDraft(turn, draft, (e) => e.edit(c.field, c.value));
    }
  }

  // --- saving and dropping -------------------------------------------------------------------

  private async confirm(turn: Turn, draft: Draft<FormState>): Promise<Outgoing[]> {
    const form = this.form(draft.form);
    this.checkRole(form, turn);
    if (draft.state.step !== 'confirm') {
      return this.withDraft(turn, draft, async (e) => {
        if (e.state.step === 'saving') return [text('正在保存，请稍候。')];
        e.notes.push('还有未填写的项目，填完后才能确认。');
        await e.advance();
      });
    }
    const state: FormState = structuredClone(draft.state);
    const engine = new FormEngine(form, state, turn, this.mayReveal(turn));
    await engine.advance(); // runs the cross-field checks again
    if (state.step !== 'confirm') return this.withDraft(turn, draft, async (e) => void (await e.advance()));

    // Claim the draft first: of two 确认 at once (a double click, two replicas) only one saves.
    state.step = 'saving';
    state.savingSince = turn.now.toISOString();
    const claimed = await this.drafts.save(draft, state, turn.now, this.ttlMs);
    if (!claimed) return [text('这份表单正在由另一条消息处理（可能是重复点击了“确认”），请稍候查看结果。')];
    let replies: Outgoing[];
    try {
      replies = await form.submit(engine.values(), turn);
    } catch (err) {
      const back: FormState = { ...state, step: 'confirm' };
      delete back.savingSince;
      await this.drafts.save(claimed, back, turn.now, this.ttlMs);
      throw err;
    }
    await this.drafts.remove(turn.user.id, turn.chatId, claimed.version);
    return replies;
  }

  private async cancel(turn: Turn, draft: Draft<FormState>): Promise<Outgoing[]> {
    if (draft.state.step === 'saving') return [text('正在保存您确认的内容，已无法取消。')];
    const gone = await this.drafts.remove(turn.user.id, turn.chatId, draft.version);
    if (!gone) return [text(CONFLICT_REPLY)];
    return [text(`已取消本次${this.form(draft.form).title}，草稿已删除，没有保存任何内容。`)];
  }

  // --- buttons and the card form ----------------------------------------------------------

  /** form.* card actions. The button's value is only a hint: the draft decides what is valid now. */
  async action(ctx: Context<IncomingAction>, kind: string): Promise<Outgoing[]> {
    const turn = this.turnOf(ctx);
    const v = ctx.incoming.value;
    const formName = typeof v.form === 'string' ? v.form : '';
    if (kind === 'open') return this.openCard(ctx, formName);
    if (kind === 'submit') return this.submitCard(ctx, formName);

    const { draft, expired } = await this.load(turn);
    if (!draft) return [text(expired ?? '这张卡片对应的表单已经结束（已保存、已取消或已过期）。发送“登记”可开始新的登记。')];
    if (formName && draft.form !== formName) return [text('这张卡片属于另一份表单，已失效。')];
    const state = draft.state;
    const field = typeof v.field === 'string' ? v.field : '';
    const stale = async () => {
      const e = new FormEngine(this.form(draft.form), structuredClone(state), turn, this.mayReveal(turn));
      return [text(STALE_BUTTON), ...(await e.render())];
    };
    switch (kind) {
      case 'answer':
        if (state.step !== 'ask' || state.current !== field) return stale();
        return this.withDraft(turn, draft, (e) => e.answer(String(v.answer ?? '')));
      case 'skip':
        if (state.step !== 'ask' || state.current !== field) return stale();
        return this.withDraft(turn, draft, (e) => e.skip());
      case 'confirm':
        if (state.step !== 'confirm' || Number(v.rev) !== state.rev) return stale();
        return this.confirm(turn, draft);
      case 'edit': {
        const f = this.form(draft.form).fields.find((x) => x.key === field);
        return this.control(ctx, draft, { word: 'edit', field: f?.label ?? '', value: '' });
      }
      case 'cancel':
        return this.cancel(turn, draft);
      default:
        return [text('这个按钮已失效，请重新发起操作。')];
    }
  }

  /** The whole form as one card, prefilled from the open draft. */
  async openCard(ctx: Context, formName: string): Promise<Outgoing[]> {
    const turn = this.turnOf(ctx);
    const form = this.forms.get(formName);
    if (!form?.formCard) return [text('这个表单没有卡片版本。')];
    this.checkRole(form, turn);
    const { draft, expired } = await this.loadFor(ctx);
    const reveal = this.mayReveal(turn);
    const prefill: Record<string, string> = {};
    let values = {};
    if (draft && draft.form === form.name) {
      const e = new FormEngine(form, draft.state, turn, reveal);
      values = e.values();
      for (const f of form.fields) {
        const entry = draft.state.values[f.key];
        // Personal data goes back into the card only where it may be shown whole.
        if (entry && (reveal || !f.personal)) prefill[f.key] = entry.d;
      }
    }
    const c = await form.context(turn, values);
    return [...(expired ? [text(expired)] : []), card(form.formCard(c, prefill, turn))];
  }

  /** A submitted card form fills the same draft (a new one if none is open), then asks what is missing. */
  async submitCard(ctx: Context<IncomingAction>, formName: string): Promise<Outgoing[]> {
    const turn = this.turnOf(ctx);
    const form = this.forms.get(formName);
    if (!form) return [text('这张表单已失效。')];
    this.checkRole(form, turn);
    const fv = ctx.incoming.formValue ?? {};
    const entries: Array<{ key: string; raw: string }> = [];
    for (const f of form.fields) {
      const raw = fv[f.key];
      if (typeof raw === 'string' || typeof raw === 'number') entries.push({ key: f.key, raw: String(raw) });
    }
    const { draft, expired } = await this.load(turn);
    const head = expired ? [text(expired)] : [];
    if (draft && draft.form !== form.name) return [text(`您还有一份未完成的${this.form(draft.form).title}，请先完成或“取消”。`)];
    if (draft) return [...head, ...(await this.withDraft(turn, draft, (e) => e.fillMany(entries)))];
    const state = newFormState(form.name, turn.now);
    const engine = new FormEngine(form, state, turn, this.mayReveal(turn));
    await engine.fillMany(entries);
    const replies = await engine.render();
    if (!(await this.createDraft(turn, form, state))) return [text(CONFLICT_REPLY)];
    return [...head, ...replies];
  }
}
