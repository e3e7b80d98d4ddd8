import type { App } from '../../../src/app';
import { reportCard, reportLines } from '../../../src/platform/doctor/doctor-format';
import { DoctorService } from '../../../src/platform/doctor/doctor-service';
import { claimOutboxRows, enqueueMessage, markOutboxFailed } from '../../../src/platform/outbox/outbox-store';
import { diagnoseReminders } from '../../../src/reminders/reminder-diagnosis';
import { RosterService } from '../../../src/roster/roster-service';
import { addUser, makeTestApp, readable, say } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { lastKnownYear } from './fixtures';

/**
 * Guard: 系统检查 in chat (and the weekly reminder, the same card) never names the command line
 * (`xinfang …`, a `--flag`): an admin in chat can do nothing with those. `xinfang doctor` keeps them.
 */
const CLI_TALK = /xinfang |(?:^|[\s（(“])--[a-z]/;

// A year whose holidays are not packaged, in November: this year's and next year's are both missing.
const year = lastKnownYear() + 1;

describe('系统检查 in chat says what to do in plain words; the CLI keeps its commands', () => {
  let app: App;

  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => new Date(`${year}-11-16T02:00:00Z`) });
    await addUser(app, 'admin', 'admin', { title: '办公室主任' });
    // A leader in the roster who is no user; no bureau group; no unit group; no director.
    await new RosterService(app.core).store.leaders.upsertLeader({
      id: 'ldr9', name: '严晴川', level: 'town', title: '阳城镇镇长', towns: ['阳城镇'], deputyId: null, sortOrder: 1, active: true,
    });
    // A message that failed this week (the outbox is checked on the real clock).
    const at = new Date(Date.now() - 3_600_000);
    const id = await enqueueMessage(app.core.db, { receiveId: 'oc_x', msgType: 'text', content: { text: 'x' }, transport: 'console' }, at);
    expect(await claimOutboxRows(app.core.db, [id], 'w#1', at, new Date(at.getTime() + 60_000))).toHaveLength(1);
    await markOutboxFailed(app.core.db, id, 'w#1', 230002, 'Bot is not in the chat.', true, at);
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('every finding of the admin\'s card reads without a command; the same report on the CLI names them', async () => {
    const replies = await say(app, 'admin', '系统检查');
    const chat = readable(replies);
    for (const expected of ['节假日安排没有导入', '尚未导入', '没有登记信访局群', '没有登记为用户', '发送失败', 'DIRECTOR']) {
      expect(chat).toContain(expected);
    }
    expect(chat).not.toMatch(CLI_TALK);
    expect(chat).toContain(`请系统管理员按国务院办公厅 ${year} 年部分节假日安排的通知，在服务器上导入今年的节假日安排`);
    expect(chat).toMatch(/检查时间：\d{4}年11月16日（周.）/);

    const report = await new DoctorService(app.core, app.features).run();
    const cli = reportLines(report).join('\n');
    expect(cli).toContain('xinfang holidays import');
    expect(cli).toContain('xinfang users add');
    // Each finding that names a command has its own chat wording, itself free of commands.
    for (const f of report.findings.filter((x) => CLI_TALK.test(x.fix))) {
      expect([f.area, f.chatFix ?? '(none)']).toEqual([f.area, expect.not.stringMatching(CLI_TALK)]);
      expect(f.chatFix).toBeTruthy();
    }
    expect(readable([{ type: 'card', card: reportCard(report) }])).not.toMatch(CLI_TALK);
  });

  test('the director\'s findings, each branch, have chat wording without a command', async () => {
    const cases: Array<Record<string, string | boolean>> = [{}, { DIRECTOR_USER_ID: 'nobody' }];
    for (const env of cases) {
      const core = { ...app.core, config: { ...app.core.config, ...env } } as typeof app.core;
      const [f] = await diagnoseReminders(core);
      expect(f.fix).toMatch(CLI_TALK);
      expect(f.chatFix).toBeTruthy();
      expect(f.chatFix).not.toMatch(CLI_TALK);
    }
    await addUser(app, 'director1', 'admin', { title: '局长', name: '韩局长' });
    const core = { ...app.core, config: { ...app.core.config, larkEnabled: true } } as typeof app.core;
    const [f] = await diagnoseReminders(core);
    expect(f.chatFix).toContain('飞书账号');
    expect(f.chatFix).not.toMatch(CLI_TALK);
  });
});
