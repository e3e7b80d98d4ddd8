import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../../src/app';
import type { Outgoing } from '../../../src/platform/chat/messages';
import { seedDemo } from '../../../src/demo/seed-demo';
import { createOutboxWorker } from '../../../src/platform/lark/outbox-sender';
import { enqueueMessages } from '../../../src/platform/outbox/outbox-store';
import { click, makeTestApp, say } from '../../helpers/app';
import { larkTransportTo } from '../../helpers/lark-transport';
import { freshDb, testDialects } from '../../helpers/db';
import { FakeLarkServer, startFakeLark } from '../../helpers/fake-lark-server';
import { checkCard } from '../../helpers/lark-card-rules';
import { sampleCards } from './bot-cards-samples';
import { buildActionForm } from '../../../src/cases/case-cards';
import { petitionFormCard } from '../../../src/intake/petition-cards';

/**
 * Every card kind the bot sends, checked by Lark's JSON 2.0 rules and sent through the fake Lark
 * server, as strict as Lark, with nothing refused. The card builders are found by name in every
 * *-cards.ts (and the doctor's report card) and watched while the demo county is used as people
 * use it (each role's commands, then one click of every kind of button they are shown) and while
 * every job runs; a builder the flows do not reach is called with the samples of
 * bot-cards-samples.ts. A new builder that neither reaches fails the test, by name.
 */

const ROOT = path.resolve(__dirname, '../../..');
const BUILDER = /(Card|^build\w*Form)$/;

function cardModules(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('-cards.ts')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'src'));
  return [...out.sort(), path.join(ROOT, 'src/platform/doctor/doctor-format.ts')];
}

interface Seen {
  builder: string;
  card: unknown;
}

describe('every card the bot sends passes Lark’s JSON 2.0 rules and the strict fake', () => {
  let app: App;
  let fake: FakeLarkServer;
  const seen: Seen[] = [];
  const spies = new Map<string, jest.SpyInstance>();
  const now = new Date('2026-03-02T02:00:00Z'); // Monday 10:00 in Shanghai, a working day

  beforeAll(async () => {
    for (const file of cardModules()) {
      const mod = await import(file);
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn !== 'function' || !BUILDER.test(name)) continue;
        const key = `${path.relative(ROOT, file)}:${name}`;
        const spy = jest.spyOn(mod, name).mockImplementation((...args: unknown[]) => {
          const card = (fn as (...a: unknown[]) => unknown)(...args);
          if (card) seen.push({ builder: key, card });
          return card;
        });
        spies.set(key, spy);
      }
    }
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url, now: () => now });
    await seedDemo(app.core);
    fake = await startFakeLark();
  }, 120_000);
  afterAll(async () => {
    for (const s of spies.values()) s.mockRestore();
    await app?.core.db.destroy();
    await fake?.close();
  });

  const replies: Outgoing[] = [];
  const clicked = new Set<string>();

  /**
   * Says each text as the user, then clicks one button of every action shown and submits every
   * form shown, filled in as a person would (three levels deep: the cards those open).
   */
  async function use(user: string, texts: string[]): Promise<void> {
    let shown: Outgoing[] = [];
    for (const t of texts) shown.push(...(await say(app, user, t)));
    for (let depth = 0; depth < 3 && shown.length; depth++) {
      replies.push(...shown);
      const next: Outgoing[] = [];
      for (const { value, formValue } of interactions(shown)) {
        const key = `${user}:${String(value.action)}:${String(value.kind ?? '')}:${formValue ? 'form' : ''}`;
        if (clicked.has(key)) continue;
        clicked.add(key);
        next.push(...(await click(app, user, value, formValue)));
      }
      shown = next;
    }
    replies.push(...shown);
  }

  test('the flows of every role, every job, and the samples: each card is valid, and Lark takes every one', async () => {
    const caseNo = (await app.core.db('cases').orderBy('id').first('case_no')).case_no as string;
    const block = (name: string) =>
      `登记\n姓名：${name}\n身份证：11010519491231002X\n手机：13812345678\n人数：1\n信访形式：来访\n问题属地：阳城镇\n问题类别：其他\n事项内容：反映村道损坏，影响出行。`;
    await use('staff2', [block('何某'), '修改']);
    await use('staff3', [block('吴某'), '确认']);
    await use('staff1', ['帮助', '我是谁', '我的待办', '逾期', `查询 ${caseNo}`, '查询 阳城镇', '今日接访', '本周接访', '下周接访', '接访安排', '接访记录', '统计', '登记', '登记表单', '取消', '我的日历']);
    await use('admin', [
      '帮助', '接访审批', '调整接访', '取消接访', '生成接访计划', '生成接访计划 2026 重新生成', '生成接访计划 2028 暂排', '系统检查', '接访简报',
      '请假登记 林启航 2026-03-05 至 2026-03-06 代班 周庭远 原因 参加培训',
      `督办函 ${caseNo}`, `提醒函 ${caseNo}`,
    ]);
    await use('county01', ['帮助', '我的接访', '我的待办', '调整接访', '请假登记', '接访简报']);
    await use('yangcheng1', ['我的接访', '接访记录']);
    await use('zf-yangcheng', ['帮助', '我的待办', '逾期']);
    for (const job of app.jobs) await job.run(now);
    for (const [builder, make] of Object.entries(sampleCards)) {
      if (!seen.some((s) => s.builder === builder)) make();
    }

    // Every builder was reached: by the flows, or by its sample.
    const unreached = [...spies.keys()].filter((k) => !seen.some((s) => s.builder === k));
    expect(unreached).toEqual([]);

    // Every card the people saw, every card queued, every card built: valid by the 2.0 rules.
    const queued = (await app.core.db('outbox').where({ msg_type: 'interactive' }).select('content', 'source')).map((r: any) => ({ builder: `outbox:${r.source}`, card: JSON.parse(r.content) }));
    const shown = replies.filter((r) => r.type === 'card').map((r) => ({ builder: 'console', card: (r as { card: unknown }).card }));
    const all = [...seen, ...queued, ...shown];
    const broken = all.flatMap((s) => checkCard(s.card).map((v) => `${s.builder}: ${v.path}: ${v.message}`));
    expect([...new Set(broken)]).toEqual([]);
    expect(queued.length).toBeGreaterThan(0);

    // And through the fake Lark as the sender sends them: nothing refused.
    const distinct = [...new Map(all.map((s) => [JSON.stringify(s.card), s.card])).values()];
    const texts = replies.filter((r) => r.type === 'text').map((r) => (r as { text: string }).text);
    await enqueueMessages(app.core.db, [
      ...distinct.map((card, i) => ({ receiveId: `oc_cards_${i % 40}`, msgType: 'interactive' as const, content: card, transport: 'lark' })),
      ...texts.map((text, i) => ({ receiveId: `oc_texts_${i % 40}`, msgType: 'text' as const, content: { text }, transport: 'lark' })),
    ]);
    const worker = createOutboxWorker(app.core, larkTransportTo(fake));
    await worker.runUntilIdle(120_000, { waitForScheduled: true });
    expect(fake.refusals).toEqual([]);
    expect(fake.messages.filter((m) => m.msg_type === 'interactive')).toHaveLength(distinct.length);
    expect(await app.core.db('outbox').where({ transport: 'lark' }).whereNot({ status: 'sent' })).toEqual([]);
  }, 240_000);
});

describe('a list left empty in config/reference.json (purposes, units) leaves no select without options', () => {
  test('the petition form card without 信访目的, and 交办 without units, are still cards Lark takes', () => {
    const petition = petitionFormCard(
      { now: new Date('2026-03-02T02:00:00Z'), towns: ['阳城镇'], categories: ['其他'], purposes: [], channels: ['来访'], groupThreshold: 5, contentMax: 5000, sessions: [] },
      {},
      '2026-03-02',
    );
    expect(checkCard(petition)).toEqual([]);
    expect(JSON.stringify(petition)).not.toContain('信访目的');
    const assign = buildActionForm('assign', '2026-000001', { units: [] })!;
    expect(checkCard(assign)).toEqual([]);
    expect(JSON.stringify(assign)).toContain('还没有配置承办单位');
    expect(checkCard(buildActionForm('assign', '2026-000001', { units: ['县民政局'] }))).toEqual([]);
  });
});

type Interaction = { value: Record<string, unknown>; formValue?: Record<string, unknown> };

/** What a person can do with the replies: click each button, submit each form filled in. */
function interactions(replies: Outgoing[]): Interaction[] {
  const out: Interaction[] = [];
  const callback = (b: any) => b.behaviors?.find((x: any) => x.type === 'callback')?.value as Record<string, unknown> | undefined;
  const walk = (v: any) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(walk);
    if (v.tag === 'form') {
      const fields: any[] = [];
      const collect = (x: any) => {
        if (!x || typeof x !== 'object') return;
        if (Array.isArray(x)) return x.forEach(collect);
        if (['input', 'select_static', 'date_picker'].includes(x.tag)) fields.push(x);
        if (x.tag === 'button' && x.form_action_type === 'submit' && callback(x)) fields.push(x);
        Object.values(x).forEach(collect);
      };
      collect(v.elements);
      const submit = fields.find((f) => f.tag === 'button');
      if (submit) out.push({ value: callback(submit)!, formValue: Object.fromEntries(fields.filter((f) => f.tag !== 'button').map((f) => [f.name, answer(f)])) });
      return;
    }
    if (v.tag === 'button') {
      const value = callback(v);
      if (value) out.push({ value });
    }
    Object.values(v).forEach(walk);
  };
  for (const r of replies) if (r.type === 'card') walk(r.card);
  return out;
}

/** A plausible answer to one form field. */
function answer(f: any): string {
  if (f.tag === 'select_static') return f.initial_option ?? f.options?.[0]?.value ?? '';
  if (f.tag === 'date_picker') return f.initial_date ?? '2026-03-20';
  if (/days|天数/.test(`${f.name}${f.label?.content ?? ''}`)) return '10';
  if (/人次|批次|persons|batches/.test(`${f.name}${f.label?.content ?? ''}`)) return '2';
  return f.default_value ?? '现场答复，群众表示满意';
}
