import vm from 'node:vm';
import request from 'supertest';
import type { App } from '../../../src/app';
import { CONSOLE_PAGE } from '../../../src/platform/console/console-page';
import { enqueueMessage } from '../../../src/platform/outbox/outbox-store';
import { xinfang } from '../../helpers/cli';
import { addUser, makeTestApp } from '../../helpers/app';
import { freshDb, tempSqliteUrl, testDialects } from '../../helpers/db';

interface FakeEl {
  tag: string; children: FakeEl[]; className: string; innerHTML: string; textContent: string; style: Record<string, string>;
  type?: string; onclick?: () => void; value?: string; scrollTop?: number;
  appendChild(c: FakeEl): FakeEl; prepend(c: FakeEl): FakeEl;
}

function el(tag: string): FakeEl {
  return {
    tag, children: [], className: '', innerHTML: '', textContent: '', style: {},
    appendChild(c) { this.children.push(c); return c; },
    prepend(c) { this.children.unshift(c); return c; },
  };
}

const all = (e: FakeEl): FakeEl[] => [e, ...e.children.flatMap(all)];
const textOf = (e: FakeEl) => all(e).map((x) => `${x.textContent}${x.innerHTML}`).join('\n');

/** The page's own script, run against a tiny stand-in for the browser. */
function runPage(replies: unknown[]) {
  const nodes: Record<string, FakeEl> = { '#log': el('div'), '#outbox': el('div'), '#user': Object.assign(el('select'), { value: 'staff1' }) };
  const sent: unknown[] = [];
  const context = {
    document: { createElement: el, querySelector: (s: string) => (nodes[s] ??= el('div')) },
    location: { search: '' },
    URLSearchParams,
    setTimeout: () => 0,
    confirm: () => true,
    fetch: async (url: string, init?: { body?: string }) => {
      if (init?.body) sent.push(JSON.parse(init.body));
      const body = url.includes('/users') ? { users: [] } : url.includes('/outbox') ? { messages: [] } : { replies };
      return { ok: true, json: async () => body };
    },
  } as Record<string, unknown>;
  const script = CONSOLE_PAGE.slice(CONSOLE_PAGE.indexOf('<script>') + 8, CONSOLE_PAGE.indexOf('</script>'));
  vm.runInNewContext(`${script}\n;globalThis.__page = { renderCard };`, context);
  return { page: (context.__page as { renderCard: (c: unknown) => FakeEl }), log: nodes['#log'], sent };
}

describe('the console page speaks as the chat does', () => {
  test('a click shows the button’s label, not its raw value', async () => {
    const { page, log, sent } = runPage([]);
    const card = page.renderCard({
      schema: '2.0', header: { title: { tag: 'plain_text', content: '案件' }, template: 'blue' },
      body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: '查看案件' }, behaviors: [{ type: 'callback', value: { action: 'case.view', caseNo: '2026-000001' } }] }] },
    });
    const button = all(card).find((e) => e.tag === 'button')!;
    expect(button.textContent).toBe('查看案件');
    button.onclick!();
    await new Promise((r) => setImmediate(r));
    const said = textOf(log);
    expect(said).toContain('〔点击〕查看案件');
    expect(said).not.toContain('case.view');
    // What is sent is still the button's value.
    expect(sent).toEqual([expect.objectContaining({ value: { action: 'case.view', caseNo: '2026-000001' } })]);
  });
});

describe('the console’s outbox states read in Chinese', () => {
  let app: App;
  beforeAll(async () => {
    const { db, url } = await freshDb(testDialects()[0]);
    app = await makeTestApp({ db, url });
    await addUser(app, 'staff1', 'staff');
  });
  afterAll(async () => {
    await app.core.db.destroy();
  });

  test('a queued message is 待发送, and the page shows that label', async () => {
    await enqueueMessage(app.core.db, { receiveIdType: 'chat_id', receiveId: 'oc_x', msgType: 'text', content: { text: '你好' }, source: 'test' });
    const res = await request(app.http).get('/console/api/outbox');
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: { status: string; statusLabel: string }) => [m.status, m.statusLabel])).toEqual([['pending', '待发送']]);
    expect(CONSOLE_PAGE).toContain('m.statusLabel');
  });
});

test('xinfang demo ends with the console and /schedule at the real PORT', async () => {
  const env = { DATABASE_URL: tempSqliteUrl(), PORT: '3456' };
  expect((await xinfang(['migrate'], env)).code).toBe(0);
  const r = await xinfang(['demo'], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('http://localhost:3456/console');
  expect(r.stdout).toContain('http://localhost:3456/schedule');
  expect(r.stdout).not.toContain('localhost:3000');
}, 120_000);
