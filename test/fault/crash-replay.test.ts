import { freshMysqlUrl, tempSqliteUrl } from '../helpers/db';
import { runCrashReplay } from './crash-harness';

/**
 * The real server (webhook mode, the fake Lark) killed with SIGKILL three times while it issues
 * letters, then everything delivered again: each event has its letter once and its answer once,
 * and no inbound row is left unfinished or claimed. On MySQL when TEST_MYSQL_URL is set.
 */
describe('crash replay: SIGKILL while handlers write', () => {
  jest.setTimeout(90_000);

  test('120 letter requests through 3 SIGKILLs: one letter and one answer per event, nothing left claimed', async () => {
    const dbUrl = process.env.TEST_MYSQL_URL ? await freshMysqlUrl() : tempSqliteUrl();
    const r = await runCrashReplay({ dbUrl, events: 120, kills: 3 });
    const why = `\n${JSON.stringify({ ...r, output: undefined })}\n${r.output.slice(-3000)}`;
    expect([r.kills, why]).toEqual([3, why]);
    // One effect per event: no letter twice, none missing, every letter logged is the one sent.
    expect([{ effects: r.effects, duplicates: r.duplicateEffects, lost: r.lostEffects, loggedNotSent: r.loggedNotSent, sentNotLogged: r.sentNotLogged }, why])
      .toEqual([{ effects: 120, duplicates: 0, lost: 0, loggedNotSent: 0, sentNotLogged: 0 }, why]);
    // One answer per event (its text, and its .docx), each a reply under the person's message.
    expect([{ replies: r.replies, files: r.files, duplicates: r.duplicateReplies, lost: r.lostReplies, failed: r.failedMessages }, why])
      .toEqual([{ replies: 120, files: 120, duplicates: 0, lost: 0, failed: 0 }, why]);
    expect([{ notDone: r.notDone, claimed: r.claimed }, why]).toEqual([{ notDone: 0, claimed: 0 }, why]);
  });
});
