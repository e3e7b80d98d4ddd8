import { UNKNOWN_USER_REPLY } from './unknown-user';
import type { Logger } from '../logging/logger';
import { APOLOGY, UserError } from '../errors/user-error';
import type { Role, User } from '../directory/user-store';
import { ROLE_NAMES } from '../directory/user-store';
import type { Incoming, IncomingAction, IncomingMessage, Outgoing } from './messages';

export interface Context<I extends Incoming = Incoming> {
  incoming: I;
  /** The known user; the router never calls a handler for an unknown one. */
  user: User;
  /** For commands: the text after the command word, trimmed. */
  args: string;
  now: Date;
}

export type Handler<I extends Incoming = Incoming> = (ctx: Context<I>) => Promise<Outgoing[]> | Outgoing[];
/** Runs before the listeners; call next() to pass the turn on (e.g. an open form takes free text). */
export type Middleware = (ctx: Context, next: () => Promise<Outgoing[]>) => Promise<Outgoing[]>;

export interface CommandSpec {
  /** The words that start the command; the first is its name in 帮助. */
  names: string[];
  /** One line for 帮助. */
  help: string;
  /** Who may use it; all roles when omitted. */
  roles?: Role[];
  /**
   * Listed in 帮助 only for these roles, though anyone may send it: for commands whose handler
   * refuses the others with its own reason (a case word says who does that step) instead of the
   * router's generic one.
   */
  listedFor?: Role[];
  /** Shown in 帮助 under this heading. */
  group?: string;
  /** Hidden from 帮助 (aliases, menu items). */
  hidden?: boolean;
  /** The arguments may follow the word with no space, as in “查询张三”; a pattern: only arguments it matches (受理2026-000069). */
  glued?: boolean | RegExp;
  /** Example shown in 帮助, e.g. “查询 2026-000123”. */
  example?: string;
}

interface CommandListener extends CommandSpec {
  handler: Handler<IncomingMessage>;
}

interface ActionListener {
  action: string;
  roles?: Role[];
  handler: Handler<IncomingAction>;
}

export type UserLookup = (id: string) => Promise<User | null>;

export { UNKNOWN_USER_REPLY };
export const UNKNOWN_COMMAND_REPLY = '没有听懂这句话。发送“帮助”查看您可以使用的功能。';

/**
 * Matches an Incoming to a listener: a command by its first word, a card action by
 * value.action. Unknown users are refused before any listener runs; UserErrors become their
 * message; any other error is logged and answered with a short apology.
 */
export class Router {
  private readonly commands: CommandListener[] = [];
  private readonly actions = new Map<string, ActionListener>();
  private readonly middlewares: Middleware[] = [];

  constructor(
    private readonly lookupUser: UserLookup,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  command(spec: CommandSpec, handler: Handler<IncomingMessage>): this {
    for (const n of spec.names) {
      if (this.commands.some((c) => c.names.includes(n))) throw new Error(`command "${n}" registered twice`);
    }
    this.commands.push({ ...spec, handler });
    return this;
  }

  action(action: string, handler: Handler<IncomingAction>, roles?: Role[]): this {
    if (this.actions.has(action)) throw new Error(`action "${action}" registered twice`);
    this.actions.set(action, { action, roles, handler });
    return this;
  }

  use(mw: Middleware): this {
    this.middlewares.push(mw);
    return this;
  }

  /** The commands a role may use, for 帮助. */
  commandsFor(role: Role): CommandSpec[] {
    return this.commands.filter((c) => {
      const shownTo = c.listedFor ?? c.roles;
      return !c.hidden && (!shownTo || shownTo.includes(role));
    });
  }

  /** Finds the command a text starts with: the longest matching name wins. */
  matchCommand(text: string): { listener: CommandListener; args: string } | null {
    const t = text.trim();
    let best: { listener: CommandListener; args: string; len: number } | null = null;
    for (const c of this.commands) {
      for (const n of c.names) {
        const rest = t.slice(n.length);
        const hit = t.startsWith(n) && (rest === '' || /^[\s:：,，]/.test(rest) || (c.glued === true && rest.length > 0) || (c.glued instanceof RegExp && c.glued.test(rest)));
        if (hit && (!best || n.length > best.len)) {
          best = { listener: c, args: t.slice(n.length).replace(/^[\s:：,，]+/, '').trim(), len: n.length };
        }
      }
    }
    return best ? { listener: best.listener, args: best.args } : null;
  }

  isCommand(text: string): boolean {
    return this.matchCommand(text) !== null;
  }

  /**
   * Answers one message or click. `known` is the sender's record when the caller has just read
   * it (a channel that looks up a whole batch of senders at once); otherwise it is looked up here.
   * `onFailure` hears of a handler that failed unexpectedly (the person is answered with the
   * apology): the inbound turn then rolls back what the handler wrote.
   */
  async handle(incoming: Incoming, known?: User, hooks: { onFailure?: (err: unknown) => void } = {}): Promise<Outgoing[]> {
    const now = this.clock();
    let user: User | null;
    try {
      user = known && known.id === incoming.userId ? known : await this.lookupUser(incoming.userId);
    } catch (err) {
      this.logger.error({ err }, 'user lookup failed');
      return [{ type: 'text', text: APOLOGY }];
    }
    if (!user) return [{ type: 'text', text: UNKNOWN_USER_REPLY }];

    const ctx: Context = { incoming, user, args: '', now };
    const dispatch = async (i: number): Promise<Outgoing[]> => {
      if (i < this.middlewares.length) return this.middlewares[i](ctx, () => dispatch(i + 1));
      return this.dispatch(ctx);
    };
    try {
      return await dispatch(0);
    } catch (err) {
      if (err instanceof UserError) return [{ type: 'text', text: err.message }];
      this.logger.error({ err, kind: incoming.kind, userId: incoming.userId }, 'handler failed');
      hooks.onFailure?.(err);
      return [{ type: 'text', text: APOLOGY }];
    }
  }

  private async dispatch(ctx: Context): Promise<Outgoing[]> {
    const { incoming, user } = ctx;
    if (incoming.kind === 'action') {
      const name = typeof incoming.value?.action === 'string' ? incoming.value.action : '';
      const listener = this.actions.get(name);
      if (!listener) return [{ type: 'text', text: '这个按钮已失效，请重新发起操作。' }];
      if (listener.roles && !listener.roles.includes(user.role)) return [denied(user.role)];
      return listener.handler(ctx as Context<IncomingAction>);
    }
    const m = this.matchCommand(incoming.text);
    if (!m) return [{ type: 'text', text: UNKNOWN_COMMAND_REPLY }];
    if (m.listener.roles && !m.listener.roles.includes(user.role)) return [denied(user.role)];
    return m.listener.handler({ ...(ctx as Context<IncomingMessage>), args: m.args });
  }
}

function denied(role: Role): Outgoing {
  return { type: 'text', text: `您的角色是“${ROLE_NAMES[role]}”，没有使用该功能的权限。发送“帮助”查看可用功能。` };
}
