/** What a channel hands the router, whatever the wire format was. */
export type ChatType = 'p2p' | 'group';

interface IncomingBase {
  /** users.id: a Lark open_id, or the console user. */
  userId: string;
  chatId: string;
  chatType: ChatType;
  /** The channel's own id of the message or action, when it has one. */
  messageId?: string;
}

export interface IncomingMessage extends IncomingBase {
  kind: 'message';
  /** Plain text, @mentions already stripped. */
  text: string;
}

export interface IncomingAction extends IncomingBase {
  kind: 'action';
  /** The button's value. Never trusted: handlers check the user and the data again. */
  value: Record<string, unknown>;
  /** A submitted form's fields. */
  formValue?: Record<string, unknown>;
}

export type Incoming = IncomingMessage | IncomingAction;

/** What the router hands back to the channel. */
export type Outgoing =
  | { type: 'text'; text: string }
  | { type: 'card'; card: Record<string, unknown> }
  /** A file for the person to download (e.g. a .docx letter or an .ics file). */
  | { type: 'file'; name: string; mime: string; base64: string };

export const text = (t: string): Outgoing => ({ type: 'text', text: t });
export const card = (c: Record<string, unknown>): Outgoing => ({ type: 'card', card: c });
