import { buildAnnualReportDocx, annualReportText } from '../../src/stats/annual-report';
import { annualYearError, defaultReportYear } from '../../src/stats/report/annual-report-service';
import type { StatsReport } from '../../src/stats/domain/stats-report';
import { unzip } from '../letters/docx-text';
import { sampleStatsReport } from './stats-report-sample';

const OPTS = { orgName: '阳山县信访局', year: 2026, date: '2027-02-12' };
const YEAR_END = { asOf: '2027-02-12' };

/** The document's paragraphs as a person reads them, and the highlighted runs. */
async function read(report: StatsReport, opts = OPTS): Promise<{ paragraphs: string[]; all: string; highlighted: string[] }> {
  const xml = unzip(await buildAnnualReportDocx(report, opts)).get('word/document.xml')!.toString('utf8');
  const body = xml.slice(xml.indexOf('<w:body>'));
  const paragraphs = [...body.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0].replace(/<[^>]+>/g, '')).filter(Boolean);
  const highlighted = [...body.matchAll(/<w:r>(?:(?!<\/w:r>)[\s\S])*?<w:highlight w:val="yellow"\/>[\s\S]*?<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]);
  return { paragraphs, all: paragraphs.join('\n'), highlighted };
}

describe('the annual report draft (.docx)', () => {
  test('has the title, the seed report\'s structure, and ends with the org and the date in Chinese', async () => {
    const { paragraphs } = await read(sampleStatsReport(YEAR_END));
    expect(paragraphs[0]).toBe('阳山县信访局2026年法治政府建设年度报告（信访工作部分·草稿）');
    const order = [
      '一、主要负责人履行法治建设第一责任人职责情况',
      '（一）强化组织领导，落实法治建设责任。',
      '（二）加强法治学习，提高法治思维能力。',
      '（三）严格依法决策，规范行政行为。',
      '二、推进法治政府建设的主要举措和成效',
      '（一）加强法治宣传教育，营造依法信访氛围。',
      '（二）规范信访工作流程，提高信访工作质效。',
      '（三）推进信访矛盾化解，维护群众合法权益。',
      '（四）加强依法行政，提升信访工作公信力。',
      '三、存在的问题和不足',
      '四、下一步工作计划',
    ];
    const at = order.map((h) => paragraphs.findIndex((p) => p.startsWith(h)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(paragraphs.slice(-2)).toEqual(['阳山县信访局', '2027年2月12日']);
  });

  test('every figure the bot has is filled from the report, rates with their counts', async () => {
    const r = sampleStatsReport(YEAR_END);
    const { all } = await read(r);
    const l = r.letters!;
    expect(all).toContain(`各类函件${l.total}件，其中提醒函${l.reminder}件、督办函${l.supervision}件、改进工作建议函${l.suggestion}件`);
    expect(all).toContain(`今年共评查信访事项${r.reviews!.reviewed}件，其中办理规范${r.reviews!.compliant}件，发现并整改问题${r.reviews!.problems}个`);
    expect(all).toContain(`今年共督查督办信访事项${r.supervisedCount}件，化解率达100%（27/27）`);
    expect(all).toContain(`2026年共排查出各类矛盾纠纷${r.disputes!.found}件，成功化解${r.disputes!.resolved}件，${r.disputes!.inProgress}件正在有序调处，化解率96.6%（196/203）`);
    expect(all).toContain(`共开展接访${r.receptions!.sessionsHeld}场（计划${r.receptions!.sessionsPlanned}场），接待群众${r.receptions!.batches}批${r.receptions!.people}人次`);
    expect(all).toContain(`会商（联席会议）${r.consultations!.held}次，议定任务${r.consultations!.tasks}项，已完成${r.consultations!.tasksDone}项`);
    expect(all).toContain(`共登记信访事项${r.registered}件，其中来访150件、来信95件、网上信访60件、电话40件`);
    expect(all).toContain('主要集中在城乡建设（120件）、农村农业（90件）、劳动社保（70件）等方面');
    expect(all).toContain(`集体访${r.groupVisits}件，重复信访${r.repeatPetitions}件；办结${r.concluded}件`);
    // the real rates, not the seed's 均达到100%
    expect(all).toContain('及时受理率98.5%（330/335），按期办结率96.8%（300/310）');
    expect(all).not.toContain('均达到100%');
  });

  test('both rates at 100% read as the seed says, still with their counts', async () => {
    const full = { numerator: 40, denominator: 40, rate: 1 };
    const { all } = await read(sampleStatsReport({ ...YEAR_END, timelyAcceptance: full, timelyAcceptanceRate: 1, onTimeConclusion: { numerator: 35, denominator: 35, rate: 1 }, onTimeConclusionRate: 1 }));
    expect(all).toContain('及时受理率、按期办结率均达到100%（受理40/40，办结35/35）');
  });

  test('what the bot does not know is a highlighted placeholder, never a number', async () => {
    const r = sampleStatsReport(YEAR_END);
    const { all, highlighted } = await read(r);
    const text = annualReportText(r, OPTS);
    expect(highlighted).toEqual(text.placeholders);
    for (const p of ['【待填写：全年组织专题学习__次】', '【待填写：共发放宣传资料约__份】', '【待填写：接受群众咨询__人次】', '【待填写：全年共举办培训班__期】', '【待填写：培训信访干部__人次】', '【待填写：领导干部下访__次】']) {
      expect(highlighted).toContain(p);
    }
    // the seed's own figures for what the bot cannot know never appear
    for (const seedFigure of ['专题学习12次', '约2000份', '110多人次', '培训班3期', '150余人次']) expect(all).not.toContain(seedFigure);
    // 三、and 四、 are left to the bureau, with the seed's headings as a guide
    expect(highlighted.some((h) => h.includes('存在的问题和不足') && h.includes('信访矛盾化解的难度依然较大'))).toBe(true);
    expect(highlighted.some((h) => h.includes('工作计划') && h.includes('加大信访矛盾化解力度'))).toBe(true);
    // a year not over yet says so
    const early = await read(sampleStatsReport({ asOf: '2026-12-02' }));
    expect(early.highlighted).toContain('【待填写：本稿数据截至2026年12月2日，年度结束后请重新生成】');
    expect(highlighted.some((h) => h.includes('本稿数据截至'))).toBe(false);
  });

  test('a ledger without data is a marked placeholder, not 0', async () => {
    const r = sampleStatsReport({ ...YEAR_END, disputes: null, disputeResolution: null, disputeResolutionRate: null, letters: null, reviews: null, receptions: null, consultations: null });
    const { all, highlighted } = await read(r);
    expect(highlighted).toEqual(expect.arrayContaining([
      '【待填写：全年发出提醒函、督办函、改进工作建议函等各类函件__件（系统暂无函件数据）】',
      '【待填写：今年共评查信访事项__件，发现并整改问题__个（系统暂无评查数据）】',
      '【待填写：2026年共排查出各类矛盾纠纷__件，成功化解__件，__件正在有序调处（系统暂无矛盾纠纷台账数据）】',
      '【待填写：全年领导干部接访__场，接待群众__批__人次（系统暂无接访数据）】',
      '【待填写：全年召开疑难复杂信访问题会商（联席会议）__次（系统暂无会商数据）】',
    ]));
    expect(all).not.toMatch(/函件0件|评查信访事项0件|矛盾纠纷0件|接访0场/);
    // the figures the bot has are still there
    expect(all).toContain(`共登记信访事项${r.registered}件`);
    expect(all).toContain('及时受理率98.5%（330/335）');
  });

  test('a rate with nothing due says so instead of a percentage', async () => {
    const none = { numerator: 0, denominator: 0, rate: null };
    const { all } = await read(sampleStatsReport({ ...YEAR_END, onTimeConclusion: none, onTimeConclusionRate: null, supervisedCount: 0, supervisedResolution: none, supervisedResolutionRate: null }));
    expect(all).toContain('及时受理率98.5%（330/335），按期办结率暂无可计算的事项');
    expect(all).toContain('今年暂无督查督办信访事项');
    expect(all).not.toMatch(/NaN|null|undefined/);
  });
});

describe('which year 年度报告 writes', () => {
  test('last year in January and February, this year from March', () => {
    expect(defaultReportYear('2027-02-28')).toBe(2026);
    expect(defaultReportYear('2027-01-01')).toBe(2026);
    expect(defaultReportYear('2027-03-01')).toBe(2027);
  });
  test('a year must be four digits and not in the future', () => {
    expect(annualYearError('2026', '2026-12-02')).toBeNull();
    expect(annualYearError('2026年', '2026-12-02')).toBeNull();
    expect(annualYearError('2027', '2026-12-02')).toContain('还没有到');
    expect(annualYearError('26', '2026-12-02')).toContain('四位数');
    expect(annualYearError('明年', '2026-12-02')).toContain('无效');
  });
});
