import type { App } from '../../src/app';
import { makeTestApp, readable, say } from '../helpers/app';
import { freshDb, testDialects } from '../helpers/db';
import { xinfang } from '../helpers/cli';
import { at, seedDirectory } from '../reminders/fixtures';
import { seedConcludedCases } from './fixtures';

/**
 * What a new user met in the trial (issue 16): a case reviewed again and again, each counted in
 * 评查台账; and 评查台账 2026Q3 empty right after 评查抽样 2026Q3 (drawn in October). A review
 * belongs to the period its case was 办结 in (the period its sample was drawn for).
 */
describe.each(testDialects())('评查 trial fixes ($name)', (dialect) => {
  let app: App;
  let url: string;
  const clock = { now: at('2026-10-15', '10:00') };
  const reviewCount = async () => Number((await app.core.db('reviews').count({ n: '*' }))[0].n);

  beforeEach(async () => {
    const fresh = await freshDb(dialect);
    url = fresh.url;
    app = await makeTestApp({ db: fresh.db, url, now: () => clock.now });
    await seedDirectory(app.core);
    await seedConcludedCases(app.core.db);
  });
  afterEach(async () => {
    await app.core.db.destroy();
  });

  test('a case reviewed once is not reviewed again, by chat, by the CLI, or by two presses at once', async () => {
    expect(readable(await say(app, 'staff-1', '评查 2026-000101 规范'))).toContain('已记录评查 PC2026-0001');
    expect(await reviewCount()).toBe(1);
    expect(readable(await say(app, 'staff-1', '评查 2026-000101 规范'))).toContain('该事项已评查（PC2026-0001，规范）');
    expect(readable(await say(app, 'staff-1', '评查 2026-000101'))).toContain('该事项已评查（PC2026-0001，规范）');
    const cli = await xinfang(['reviews', 'record', '2026-000101', '--ok', '--by', 'staff-1'], { DATABASE_URL: url });
    expect(cli.stderr + cli.stdout).toContain('该事项已评查（PC2026-0001，规范）');
    expect(await reviewCount()).toBe(1);

    const both = await Promise.all([say(app, 'staff-1', '评查 2026-000102 规范'), say(app, 'dir-1', '评查 2026-000102 规范')]);
    const said = both.map(readable);
    expect(said.filter((t) => t.includes('已记录评查')).length).toBe(1);
    expect(said.filter((t) => t.includes('该事项已评查')).length).toBe(1);
    expect(await reviewCount()).toBe(2);

    const ledger = readable(await say(app, 'dir-1', '评查台账 2026Q3'));
    expect(ledger).toContain('评查 **2** 件');
    expect(ledger).toContain('共 2 件');
  });

  test('评查台账 2026Q3 right after 评查抽样 2026Q3 (drawn in October) shows the sample; a case 办结 in October is under Q4', async () => {
    expect(readable(await say(app, 'dir-1', '评查抽样 2026Q3 3 种子 t1'))).toContain('抽样编号');
    const drawn = (await app.core.db('reviews').orderBy('review_no')).map((r: any) => r.review_no);
    expect(drawn).toHaveLength(3);
    const ledger = readable(await say(app, 'dir-1', '评查台账 2026Q3'));
    expect(ledger).not.toContain('还没有评查记录');
    expect(ledger).not.toContain('评查抽样 <时间段>');
    for (const no of drawn) expect(ledger).toContain(no);
    expect(ledger).toContain('待评查 3 件');

    const list = JSON.parse((await xinfang(['reviews', 'list', '--period', '2026Q3', '--json'], { DATABASE_URL: url })).stdout);
    expect(list.reviews.map((r: any) => r.no)).toEqual(drawn);

    // 2026-000401 was 办结 on 10月8日: reviewed on its own, it belongs to 2026Q4, not Q3.
    expect(readable(await say(app, 'staff-1', '评查 2026-000401 规范'))).toContain('已记录评查');
    expect(readable(await say(app, 'dir-1', '评查台账 2026Q3'))).not.toContain('2026-000401');
    expect(readable(await say(app, 'dir-1', '评查台账 2026Q4'))).toContain('2026-000401');
  });
});
