import { formatChineseDate, type IsoDate } from '../../platform/calendar/domain';
import type { NameCount, Ratio, StatsReport } from '../domain/stats-report';
import { percent } from './report-figures';

/**
 * The annual report draft (信访工作部分) as text: the structure and wording of the county bureau's
 * yearly 法治政府建设年度报告, with every figure the bot has filled from the StatsReport and every
 * figure it has not (training sessions, 宣传资料份数, …, or a ledger without data) left as a marked
 * placeholder 【待填写：…】 — never an invented number. Pure: the .docx is drawn from this.
 */

/** A run of text, or a placeholder the bureau must fill in (shown highlighted). */
export type Piece = string | { placeholder: string };

export type BlockKind = 'title' | 'heading' | 'paragraph' | 'signature' | 'date';

export interface Block {
  kind: BlockKind;
  /** For a paragraph opening with its sub-heading, e.g. （一）强化组织领导，落实法治建设责任。 */
  lead?: string;
  pieces: Piece[];
}

export interface AnnualReportText {
  title: string;
  blocks: Block[];
  /** Every placeholder, in reading order. */
  placeholders: string[];
  /** What the bot filled from its data, for the chat answer (登记数, 及时受理率, …). */
  filled: string[];
}

export interface AnnualReportOptions {
  orgName: string;
  year: number;
  date: IsoDate;
}

const ph = (text: string): Piece => ({ placeholder: `【待填写：${text}】` });

const CN_DIGITS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function cnOrdinal(n: number): string {
  return n <= 10 ? CN_DIGITS[n - 1] : String(n);
}

/** 98.5%（330/335） */
function rateWithCounts(r: Ratio): string {
  return r.rate === null ? '' : `${percent(r.rate)}（${r.numerator}/${r.denominator}）`;
}

function list(items: readonly NameCount[], max: number, bracketed = false): string {
  return items
    .filter((i) => i.count > 0)
    .slice(0, max)
    .map((i) => (bracketed ? `${i.name}（${i.count}件）` : `${i.name}${i.count}件`))
    .join('、');
}

export function annualReportTitle(opts: Pick<AnnualReportOptions, 'orgName' | 'year'>): string {
  return `${opts.orgName}${opts.year}年法治政府建设年度报告（信访工作部分·草稿）`;
}

/** Collects the blocks of the draft, and what was filled from data. */
interface Draft {
  filled: string[];
  para: (lead: string | undefined, ...pieces: Piece[]) => void;
  heading: (text: string) => void;
}

export function annualReportText(r: StatsReport, opts: AnnualReportOptions): AnnualReportText {
  const filled: string[] = [];
  const blocks: Block[] = [];
  const title = annualReportTitle(opts);
  const d: Draft = {
    filled,
    para: (lead, ...pieces) => blocks.push({ kind: 'paragraph', ...(lead ? { lead } : {}), pieces }),
    heading: (text) => blocks.push({ kind: 'heading', pieces: [text] }),
  };
  blocks.push({ kind: 'title', pieces: [title] });
  introduction(d, r, opts.year);
  partOne(d, r);
  partTwo(d, r, opts.year);
  partsThreeAndFour(d);
  blocks.push({ kind: 'signature', pieces: [opts.orgName] });
  blocks.push({ kind: 'date', pieces: [formatChineseDate(opts.date, false)] });

  const placeholders = blocks.flatMap((b) => b.pieces.flatMap((p) => (typeof p === 'string' ? [] : [p.placeholder])));
  return { title, blocks, placeholders, filled };
}

function introduction({ para }: Draft, r: StatsReport, year: number): void {
  const partial = r.asOf < r.period.to;
  para(
    undefined,
    `${year}年，在`,
    ph('上级党委、政府'),
    '的坚强领导下，我局坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想和党的二十大、二十届三中全会精神，全面落实《法治政府建设实施纲要（2021－2025年）》，围绕信访工作法治化目标，扎实推进各项工作，为维护群众合法权益、促进社会和谐稳定作出积极贡献。现将本年度法治政府建设工作情况报告如下：',
    ...(partial ? [ph(`本稿数据截至${formatChineseDate(r.asOf, false)}，年度结束后请重新生成`)] : []),
  );
}

function partOne({ para, heading, filled }: Draft, r: StatsReport): void {
  heading('一、主要负责人履行法治建设第一责任人职责情况');
  para(
    '（一）强化组织领导，落实法治建设责任。',
    '局主要负责人高度重视法治政府建设工作，将其纳入全局重要议事日程，定期召开支委会议和班子会议研究部署法治建设工作。成立以主要负责人为组长的法治政府建设工作领导小组，明确各成员职责分工，形成主要领导亲自抓、分管领导具体抓、各股室协同配合的工作格局，确保法治建设各项任务落到实处。',
  );
  para(
    '（二）加强法治学习，提高法治思维能力。',
    '一是带头学习习近平法治思想，将其作为党支部学习的重要内容，',
    ph('全年组织专题学习__次'),
    '。积极参加各类法治培训和讲座，不断提高自身法治素养和依法决策能力。二是认真组织学习贯彻党的二十大、二十届三中全会精神，将其作为会前必学内容，并',
    ph('开展脱产培训的月份和内容'),
    '。三是督促全局干部职工加强法治学习，通过集中学习、个人自学、线上培训等多种方式，深入学习宪法、民法典、信访工作条例等法律法规，营造良好的学法用法氛围。',
  );
  para(
    '（三）严格依法决策，规范行政行为。',
    '严格执行重大行政决策程序，对涉及信访工作的重大决策、重要事项，均通过集体讨论、专家论证、合法性审查等程序，确保决策的科学性和合法性。严格履行信访部门“三项建议权”，加强对信访业务工作的监督管理，定期对信访事项办理情况进行检查和通报，',
    ...lettersSentence(r, filled),
    '，及时纠正不规范行为，提高信访工作质量和效率。',
  );

}

function partTwo({ para, heading, filled }: Draft, r: StatsReport, year: number): void {
  heading('二、推进法治政府建设的主要举措和成效');
  const anniversary = year - 2022;
  para(
    '（一）加强法治宣传教育，营造依法信访氛围。',
    '一是开展主题宣传活动。以',
    ph(`活动契机${anniversary > 0 ? `，如《信访工作条例》实施${anniversary <= 10 ? cnOrdinal(anniversary) : anniversary}周年` : ''}`),
    '为契机，组织开展系列主题宣传活动。通过在',
    ph('宣传地点'),
    '设置宣传展板、发放宣传资料、现场解答群众咨询等方式，广泛宣传信访工作法律法规和政策，引导群众依法理性表达诉求。活动期间，',
    ph('共发放宣传资料约__份'),
    '，',
    ph('接受群众咨询__人次'),
    '。',
  );
  para(
    undefined,
    '二是组织专题培训。举办信访系统法治培训班，',
    ph('授课单位和内容'),
    '，提升信访干部法治意识和业务水平。',
    ph('全年共举办培训班__期'),
    '，',
    ph('培训信访干部__人次'),
    '。',
  );
  para(
    '（二）规范信访工作流程，提高信访工作质效。',
    '一是完善信访工作制度，根据《信访工作条例》和相关法律法规，对信访事项受理、办理、转送、交办、督办等工作流程进行全面梳理和优化，',
    ph('本年度制定出台的制度名称'),
    '，明确各环节工作标准和要求，确保信访工作有章可循。二是加强信访业务规范化建设，开展信访业务规范化评查活动，定期对信访事项办理情况进行抽查和通报。对发现的问题及时督促整改，对办理规范、群众满意度高的信访事项进行表扬和推广。',
    ...reviewsSentence(r, filled),
    '三是建立健全信访工作监督机制，加强对信访工作全过程的监督，建立信访事项办理跟踪反馈制度，及时掌握办理进度和结果。强化信访督查督办，对重点信访事项和疑难复杂问题，实行领导包案、挂牌督办，确保问题得到有效解决。',
    ...supervisionSentence(r, filled),
  );
  para(
    '（三）推进信访矛盾化解，维护群众合法权益。',
    '一是开展矛盾纠纷排查化解专项行动，坚持定期排查与专项排查相结合，对可能影响社会稳定的信访矛盾纠纷进行全面排查梳理，建立工作台账，明确责任单位和责任人，实行销号管理。',
    ...disputesSentence(r, year, filled),
    '二是加强领导干部接访下访工作，完善领导干部接访下访制度，制定年度接访下访计划，明确领导干部接访下访时间、地点和任务。领导干部带头深入基层、深入群众，面对面倾听群众诉求，协调解决实际问题。',
    ...receptionsSentence(r, filled),
    '三是推动疑难复杂信访问题化解，建立疑难复杂信访问题会商机制，对涉及多个部门、久拖不决的信访问题，组织相关部门召开联席会议，共同研究解决方案。',
    ...consultationsSentence(r, filled),
    '充分发挥律师、心理咨询师等第三方力量作用，参与信访矛盾化解，为群众提供法律咨询和心理疏导服务。',
  );
  para(
    '（四）加强依法行政，提升信访工作公信力。',
    '一是严格依法处理信访事项，对群众来信来访，严格按照法律法规和政策规定进行处理，做到依法依规、公平公正。对不符合受理条件的信访事项，耐心做好解释说明工作；对应当受理的信访事项，及时转送交办责任单位，并跟踪督办，确保群众诉求得到妥善解决。',
    ...casesSentence(r, filled),
    '二是推进政务公开，按照政府信息公开相关规定，及时公开信访工作政策法规、工作动态、信访事项办理情况等信息，主动接受社会监督。通过政府网站、政务新媒体等平台，畅通群众信息获取渠道，保障群众知情权、参与权和监督权。',
  );

}

/** 三、四、: prose the bureau writes; the previous report's headings as a guide. */
function partsThreeAndFour({ para, heading }: Draft): void {
  heading('三、存在的问题和不足');
  para(undefined, ph('请结合本年度实际撰写存在的问题和不足。上年报告的提纲可供参考：（一）信访工作法治化水平有待进一步提高；（二）法治宣传教育的针对性和实效性有待增强；（三）信访矛盾化解的难度依然较大'));
  heading('四、下一步工作计划');
  para(undefined, ph('请结合下一年度安排撰写工作计划。上年报告的提纲可供参考：（一）持续加强法治学习，提高信访干部法治素养；（二）创新法治宣传教育方式，增强宣传教育效果；（三）进一步完善信访工作机制，提高信访工作质效；（四）加大信访矛盾化解力度，维护社会和谐稳定'));
}

function lettersSentence(r: StatsReport, filled: string[]): Piece[] {
  const l = r.letters;
  if (!l) return [ph('全年发出提醒函、督办函、改进工作建议函等各类函件__件（系统暂无函件数据）')];
  filled.push('函件');
  if (l.total === 0) return ['全年未发出提醒函、督办函、改进工作建议函'];
  const kinds = [
    ['提醒函', l.reminder],
    ['督办函', l.supervision],
    ['改进工作建议函', l.suggestion],
  ] as const;
  const parts = kinds.filter(([, n]) => n > 0).map(([k, n]) => `${k}${n}件`);
  return [`全年发出提醒函、督办函、改进工作建议函等各类函件${l.total}件，其中${parts.join('、')}`];
}

function reviewsSentence(r: StatsReport, filled: string[]): Piece[] {
  const v = r.reviews;
  if (!v) return [ph('今年共评查信访事项__件，发现并整改问题__个（系统暂无评查数据）'), '，信访事项办理质量和效率明显提升。'];
  filled.push('评查');
  if (v.reviewed === 0) return ['今年暂未开展信访事项评查。'];
  const found = v.problems === 0 ? '未发现问题' : v.fixed >= v.problems ? `发现并整改问题${v.problems}个` : `发现问题${v.problems}个，已整改${v.fixed}个，其余${v.problems - v.fixed}个正在整改`;
  return [`今年共评查信访事项${v.reviewed}件，其中办理规范${v.compliant}件，${found}，信访事项办理质量和效率明显提升。`];
}

function supervisionSentence(r: StatsReport, filled: string[]): Piece[] {
  filled.push('督查督办');
  if (r.supervisedCount === 0) return ['今年暂无督查督办信访事项。'];
  const rate = r.supervisedResolution;
  const said = rate.rate === null ? '，化解情况正在跟踪' : `，化解率${rate.rate === 1 ? '达' : '为'}${rateWithCounts(rate)}`;
  return [`今年共督查督办信访事项${r.supervisedCount}件${said}。`];
}

function disputesSentence(r: StatsReport, year: number, filled: string[]): Piece[] {
  const d = r.disputes;
  if (!d) return [ph(`${year}年共排查出各类矛盾纠纷__件，成功化解__件，__件正在有序调处（系统暂无矛盾纠纷台账数据）`), '，有效维护了社会和谐稳定。'];
  filled.push('矛盾纠纷排查化解');
  if (d.found === 0) return [`${year}年矛盾纠纷排查台账未登记矛盾纠纷。`];
  const extra = [d.inProgress > 0 ? `${d.inProgress}件正在有序调处` : '', d.escalated > 0 ? `${d.escalated}件已上报或转为信访事项办理` : ''].filter(Boolean);
  const rate = r.disputeResolution && r.disputeResolution.rate !== null ? `，化解率${rateWithCounts(r.disputeResolution)}` : '';
  return [`${year}年共排查出各类矛盾纠纷${d.found}件，成功化解${d.resolved}件${extra.length ? `，${extra.join('，')}` : ''}${rate}，有效维护了社会和谐稳定。`];
}

function receptionsSentence(r: StatsReport, filled: string[]): Piece[] {
  const c = r.receptions;
  if (!c) return [ph('全年领导干部接访__场，接待群众__批__人次（系统暂无接访数据）'), '；', ph('领导干部下访__次'), '。'];
  filled.push('领导接访');
  const planned = c.sessionsPlanned !== c.sessionsHeld ? `（计划${c.sessionsPlanned}场）` : '';
  return [`全年领导干部共开展接访${c.sessionsHeld}场${planned}，接待群众${c.batches}批${c.people}人次；`, ph('领导干部下访__次'), '。'];
}

function consultationsSentence(r: StatsReport, filled: string[]): Piece[] {
  const m = r.consultations;
  if (!m) return [ph('全年召开疑难复杂信访问题会商（联席会议）__次（系统暂无会商数据）'), '。'];
  filled.push('会商');
  if (m.held === 0) return ['全年暂未召开疑难复杂信访问题会商。'];
  const tasks = m.tasks > 0 ? `，议定任务${m.tasks}项，已完成${m.tasksDone}项` : '';
  return [`全年召开疑难复杂信访问题会商（联席会议）${m.held}次${tasks}。`];
}

function casesSentence(r: StatsReport, filled: string[]): Piece[] {
  filled.push('登记信访事项', '及时受理率', '按期办结率');
  const out: string[] = [];
  if (r.registered === 0) {
    out.push('今年以来，未登记信访事项。');
    return out;
  }
  const channels = list(r.byChannel, 6);
  const cats = list(r.byCategory.filter((c) => c.name !== '其他' && c.name !== '未填写'), 3, true);
  out.push(`今年以来，共登记信访事项${r.registered}件${channels ? `，其中${channels}` : ''}`);
  if (cats) out.push(`；反映的问题主要集中在${cats}等方面`);
  const extras = [r.groupVisits > 0 ? `集体访${r.groupVisits}件` : '', r.repeatPetitions > 0 ? `重复信访${r.repeatPetitions}件` : ''].filter(Boolean);
  if (extras.length) out.push(`；${extras.join('，')}`);
  out.push(`；办结${r.concluded}件。`);
  const a = r.timelyAcceptance;
  const c = r.onTimeConclusion;
  if (a.rate === 1 && c.rate === 1) out.push(`信访事项及时受理率、按期办结率均达到100%（受理${a.numerator}/${a.denominator}，办结${c.numerator}/${c.denominator}）。`);
  else {
    const parts = [a.rate === null ? '及时受理率暂无可计算的事项' : `及时受理率${rateWithCounts(a)}`, c.rate === null ? '按期办结率暂无可计算的事项' : `按期办结率${rateWithCounts(c)}`];
    out.push(`信访事项${parts.join('，')}。`);
  }
  return out;
}
