/**
 * The one refusal a person the bot does not know gets, on every channel. The console answers it
 * each time; Lark sends it at most once a day per person (the inbound processor), and says so.
 */
export const UNKNOWN_USER_REPLY =
  '您好！您还不是信访工作台的登记用户，暂时无法使用本助手。如需开通，请联系县信访局管理员为您登记。';

/** The same refusal where it is sent once a day. */
export const UNKNOWN_USER_REPLY_ONCE_A_DAY = `${UNKNOWN_USER_REPLY}本提示每天只发送一次。`;
