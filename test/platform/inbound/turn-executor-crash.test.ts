import type { App } from '../../../src/app';
import type { InboundProcessor } from '../../../src/platform/inbound/inbound-processor';
import { InboundEventStore } from '../../../src/platform/inbound/inbound-event-store';
import { normalizeLarkEvent } from '../../../src/platform/lark/event-normalizer';
import type { LarkFeature } from '../../../src/platform/lark/lark-feature';
import type { PlanSession } from '../../../src/roster/domain';
import { RosterService } from '../../../src/roster/roster-service';
import { text } from '../../../src/platform/chat/messages';
import { APOLOGY } from '../../../src/platform/errors/user-error';
import { sidePool } from '../../../src/platform/database/connection';
import { makeTestApp } from '../../helpers/app';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, larkCardActionEvent, larkMessageEvent, startFakeLark } from '../../helpers/fake-lark-server';
import { insertCase, insertDeadline } from '../../reminders/fixtures';
import { MONDAY, seedMiniCounty } from '../../roster/fixtures';

function session(date: string, venueId: string, leader: string): PlanSession {
  return {
    date, slot: '全天', startTime: '08:30', endTime: '17:30', type: '接访', venueId, leaderIds: [leader], accompanyUnits: [],
    focus: null, capacity: null, ruleId: null, substituteFor: null, note: null,
  };
}

/**
 * A crash between a handler's work and its event's "done" mark: the commit that marks the event
 * done fails once (as if the process died there), and the event is run again, as the recovery
 * poller of a restarted server would. Each writing handler leaves its effect once, and the
 * person reads the answer of a first run, not of a run that finds its own earlier effect.
 */
describe.each(testDialects())('a crash before an event is marked done, on $name', (dialect) => {
  let fake: FakeLarkServer;
  let app: App;
  let lark: LarkFeature;
  let processor: InboundProcessor;
  let roster: RosterService;
  let sessions: Record<string, number>;

  beforeAll(async () => {
    fake = await startFakeLark();
    const { db, url } = await freshDb(dialect);
    app = await makeTestApp({
      db, url, now: () => MONDAY,
      env: { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_MODE: 'webhook', LARK_DOMAIN: fake.url, LARK_BOT_OPEN_ID: fake.botOpenId },
    });
    lark = app.features.find((f) => f.name === 'lark') as LarkFeature;
    processor = lark.processor!;
    const store = await seedMiniCounty(app.core);
    roster = new RosterService(app.core);
    const [leave, swapA, swapB] = await store.sessions.insertSessions(app.core.db, [
      session('2026-03-10', 'county-center', 'cty1'),
      session('2026-03-24', 'county-center', 'cty1'),
      session('2026-03-26', 'county-center', 'cty3'),
    ]);
    sessions = { leave, swapA, swapB };
    // Handlers that write through core.db, as every store does.
    app.router.command({ names: ['记一笔'], help: 'test', hidden: true }, async (ctx) => {
      await app.core.db('counters').insert({ name: ctx.args, value: 1 });
      return [text(`已记下 ${ctx.args}`)];
    });
    app.router.command({ names: ['记后出错'], help: 'test', hidden: true }, async (ctx) => {
      await app.core.db('counters').insert({ name: ctx.args, value: 1 });
      throw new Error('a bug after the first write');
    });
  });
  afterAll(async () => {
    await lark.stop!();
    await app.core.db.destroy();
    await fake.close();
  });
  afterEach(() => jest.restoreAllMocks());

  const db = () => app.core.db;
  const row = (id: number) => new InboundEventStore(db()).get(id);
  const replies = async (id: number): Promise<string> =>
    (await db()('outbox').where('source', `lark-event:${id}`).orderBy('id')).map((r: any) => r.content).join('\n');

  /** The next commit of an event's turn fails, as if the process died just before it. */
  const crashBeforeDone = () => {
    const crash = async (): Promise<never> => {
      throw new Error('模拟：进程在事件标记完成之前中断');
    };
    jest.spyOn(processor.store, 'complete').mockImplementationOnce(crash);
    jest.spyOn(processor.store, 'completeMany').mockImplementationOnce(crash);
  };

  /** The crashed event is pending again; a poller runs it once more, and this time it is done. */
  const rerun = async (id: number) => {
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, claimedBy: null });
    await processor.pollOnce();
    await processor.idle();
    expect(await row(id)).toMatchObject({ status: 'done', attempts: 2 });
  };

  /** Records a chat message from `openId` as the webhook would; the caller hands it to the processor. */
  const recordText = async (openId: string, text: string) => {
    const ev = larkMessageEvent({ openId, text, chatId: `oc_p2p_${openId}` });
    const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    return { rec: (await processor.record(n, 'webhook'))!, n };
  };

  /** A chat message from `openId`, crashed once before its done mark, then run again. */
  const textCrashed = async (openId: string, text: string): Promise<number> => {
    const ev = larkMessageEvent({ openId, text, chatId: `oc_p2p_${openId}` });
    const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    crashBeforeDone();
    const rec = (await processor.record(n, 'webhook'))!;
    processor.enqueue(rec, n);
    await processor.idle();
    await rerun(rec.id);
    return rec.id;
  };

  /** A button click or a form submit (answered inline), crashed once before its done mark, then run again. */
  const clickCrashed = async (openId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>): Promise<number> => {
    const ev = larkCardActionEvent({ openId, value, formValue });
    crashBeforeDone();
    await lark.intake!.onCardAction({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, 'webhook');
    await processor.idle();
    const id = Number((await db()('inbound_events').where('event_key', `card:${ev.event.token}`).first('id')).id);
    await rerun(id);
    return id;
  };

  const caseEvents = async (caseId: number, action: string) => (await db()('case_events').where({ case_id: caseId, action })).length;

  test('提醒函: one letter, one number used, and the answer carries that number', async () => {
    const caseId = await insertCase(db(), { caseNo: '2026-000901', receivedDate: '2026-02-02' });
    await insertDeadline(db(), caseId, 'conclusion', '2026-04-03');
    const id = await textCrashed('staff1', '提醒函 2026-000901 再次');
    expect(await caseEvents(caseId, 'letter')).toBe(1);
    const answer = await replies(id);
    expect(answer).toContain('已生成提醒函 信访提〔2026〕1号');
    expect(answer).toContain('"name":"提醒函_2026-000901_2026-1.docx"');
  });

  test('受理 (a click): the case moves once, and the answer says it was accepted, not that it already was', async () => {
    const caseId = await insertCase(db(), { caseNo: '2026-000902', status: 'registered', unit: null, receivedDate: '2026-02-27' });
    await insertDeadline(db(), caseId, 'decision', '2026-03-16');
    const id = await clickCrashed('staff1', { action: 'case.accept', caseNo: '2026-000902' });
    expect(await caseEvents(caseId, 'accept')).toBe(1);
    expect((await db()('cases').where('id', caseId).first('status')).status).toBe('handling');
    expect(await replies(id)).toContain('已受理：案件 2026-000902');
  });

  test('报告进展 (a form submit by the unit): one progress note', async () => {
    const caseId = await insertCase(db(), { caseNo: '2026-000903', status: 'handling', receivedDate: '2026-02-02' });
    await insertDeadline(db(), caseId, 'conclusion', '2026-04-03');
    const id = await clickCrashed('unit-zr', { action: 'case.progress', caseNo: '2026-000903', submit: true }, { note: '已约谈信访人，正在现场核实' });
    expect(await caseEvents(caseId, 'progress')).toBe(1);
    expect(await replies(id)).toContain('已报告进展：案件 2026-000903');
  });

  test('信访登记 确认: one case saved, and the answer gives its number', async () => {
    const block = ['登记', '姓名：崩溃测', '电话：13812345678', '人数：1', '信访形式：来访', '问题属地：阳城镇', '问题类别：城乡建设', '事项内容：道路积水，要求修缮排水沟。'].join('\n');
    const ev = larkMessageEvent({ openId: 'staff1', text: block, chatId: 'oc_p2p_staff1' });
    const n = normalizeLarkEvent({ event_type: ev.header.event_type, ...ev.header, ...ev.event }, { botOpenId: fake.botOpenId });
    if (n.kind === 'ignore') throw new Error('expected an event');
    const rec = (await processor.record(n, 'webhook'))!;
    processor.enqueue(rec, n);
    await processor.idle();
    expect(await replies(rec.id)).toContain('请确认');

    const id = await textCrashed('staff1', '确认');
    const saved = await db()('cases').where('name', '崩溃测').select('case_no');
    expect(saved).toHaveLength(1);
    expect(await replies(id)).toContain(`登记成功 · ${saved[0].case_no}`);
    expect(await db()('form_drafts').where('user_id', 'staff1')).toHaveLength(0);
  });

  test('调整接访: one request filed, and the approval swaps the days once, the admin told it is approved', async () => {
    const filed = await clickCrashed('cty1', { action: 'roster.change.submit', kind: 'swap', sessionId: sessions.swapA }, { other: String(sessions.swapB), reason: '陪同省督导组' });
    const requests = await roster.store.changes.listChangeRequests();
    expect(requests).toHaveLength(1);
    expect(await replies(filed)).toContain('已提交对调申请');

    const approved = await clickCrashed('admin', { action: 'roster.change.approve', requestId: requests[0].id });
    const answer = await replies(approved);
    expect(answer).toContain('已批准');
    expect(answer).not.toContain('无需重复处理');
    const a = (await roster.store.sessions.getSession(sessions.swapA))!;
    expect([a.leaders.map((l) => l.id), a.sequence]).toEqual([['cty3'], 1]);
    const notices = await db()('outbox').where('source', `roster-change:${requests[0].id}`);
    expect(notices).toHaveLength(4); // the approval card to the bureau, then both leaders and the venue
  });

  test('请假登记 and 由代班领导接访: one leave, one substitution, each answered as done the first time', async () => {
    const filed = await textCrashed('admin', '请假登记 林启航 2026-03-09 至 2026-03-13 原因 参加培训');
    expect(await roster.store.leaders.listUnavailability()).toHaveLength(1);
    expect(await replies(filed)).toContain('已登记：林启航');

    const deputy = await clickCrashed('admin', { action: 'roster.leave.deputy', sessionId: sessions.leave, leaderId: 'cty1' });
    expect(await replies(deputy)).toContain('已改由周庭远（县长）代班接访');
    const s = (await roster.store.sessions.getSession(sessions.leave))!;
    expect([s.leaders.map((l) => l.id), s.sequence]).toEqual([['cty2'], 1]);
  });

  test('我的日历: one token, and the link is shown (it is shown only when made)', async () => {
    const id = await textCrashed('qg1', '我的日历');
    const tokens = await db()('feed_tokens').where({ kind: 'leader', subject: 'qg1' });
    expect(tokens).toHaveLength(1);
    const answer = await replies(id);
    expect(answer).toContain('/ical/leader/');
    expect(answer).not.toContain('您已经有日历订阅链接');
  });

  test('in a batch, a handler that fails after writing loses its write and answers with the apology; the others keep theirs', async () => {
    const completeMany = jest.spyOn(processor.store, 'completeMany');
    const events = [await recordText('staff1', '记一笔 batch-a'), await recordText('admin', '记后出错 batch-b'), await recordText('unit-zr', '记一笔 batch-c')];
    for (const { rec, n } of events) processor.enqueue(rec, n);
    await processor.idle();
    expect(completeMany).toHaveBeenCalledTimes(1); // one commit for the three
    const names = (await db()('counters').where('name', 'like', 'batch-%').orderBy('name')).map((r: any) => r.name);
    expect(names).toEqual(['batch-a', 'batch-c']);
    for (const { rec } of events) expect(await row(rec.id)).toMatchObject({ status: 'done', claimedBy: null });
    expect(await replies(events[0].rec.id)).toContain('已记下 batch-a');
    expect(await replies(events[1].rec.id)).toContain(APOLOGY);
  });

  test('a batch whose commit fails is run again event by event: each write once', async () => {
    const events = [await recordText('staff1', '记一笔 again-a'), await recordText('admin', '记一笔 again-b')];
    jest.spyOn(processor.store, 'completeMany').mockImplementationOnce(async () => {
      throw new Error('模拟：批量提交失败');
    });
    for (const { rec, n } of events) processor.enqueue(rec, n);
    await processor.idle();
    const names = (await db()('counters').where('name', 'like', 'again-%').orderBy('name')).map((r: any) => r.name);
    expect(names).toEqual(['again-a', 'again-b']);
    for (const { rec } of events) {
      expect(await row(rec.id)).toMatchObject({ status: 'done' });
      expect(await replies(rec.id)).toContain('已记下 again-');
    }
  });

  if (dialect.name === 'mysql') {
    test('a lock timeout inside a handler runs its whole turn again once the lock is free: one effect, the success answered', async () => {
      await db()('counters').insert({ name: 'locked', value: 0 });
      app.router.command({ names: ['加锁计数'], help: 'test', hidden: true }, async () => {
        await app.core.db.raw('SET SESSION innodb_lock_wait_timeout = 1');
        await app.core.db('counters').where({ name: 'locked' }).increment('value', 1);
        await app.core.db.raw('SET SESSION innodb_lock_wait_timeout = 50');
        return [text('已加一')];
      });
      const other = sidePool(app.core.db, 1);
      const blocker = await other.db.transaction();
      try {
        await blocker('counters').where({ name: 'locked' }).forUpdate().select();
        const { rec, n } = await recordText('staff1', '加锁计数');
        processor.enqueue(rec, n);
        await new Promise((r) => setTimeout(r, 1500)); // the first try times out on the lock
        await blocker.commit();
        await processor.idle();
        expect(await row(rec.id)).toMatchObject({ status: 'done' });
        expect(Number((await db()('counters').where({ name: 'locked' }).first('value')).value)).toBe(1);
        const answer = await replies(rec.id);
        expect(answer).toContain('已加一');
        expect(answer).not.toContain(APOLOGY);
      } finally {
        if (!blocker.isCompleted()) await blocker.rollback();
        await other.close();
      }
    });
  }
});
