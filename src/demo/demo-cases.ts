import { dropOutboxAfter, lastOutboxId } from '../platform/outbox/outbox-store';
import { addDays, IsoDate, shanghaiInstant } from '../platform/calendar/domain';
import type { CaseCommand } from '../cases';
import type { PetitionChannel } from '../cases';
import { idCheckChar } from '../platform/personal-data/id-number';
import type { Core } from '../platform/core/feature';
import { CaseService } from '../cases';
import type { User } from '../platform/directory/user-store';

/**
 * The demo county's cases: a few hundred, in every state, registered over the last five months,
 * so deadlines fall before, around and after today. Every case goes through the real
 * CaseService on a clock set to the day each step happened, so numbers, deadlines, links and the
 * audit trail are exactly what real use would leave. Deterministic for the same `today`.
 */
const SURNAMES = '陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖徐周叶苏庄吕江何罗高潘简朱钟彭游詹胡施沈余卢梁赵颜柯翁魏孙戴'.split('');
const GIVEN = ['建华', '秀英', '国强', '丽娟', '志明', '春梅', '海涛', '玉兰', '永康', '桂芳', '伟东', '金凤', '少华', '月娥', '文彬', '淑贞', '德胜', '美玲', '家豪', '婉婷'];

const CONTENT: Record<string, string[]> = {
  劳动和社会保障: ['反映某建筑工地拖欠农民工工资共计 8 万余元，多次讨要未果，请求协调支付。', '反映养老保险缴费年限认定有误，影响退休待遇，请求核查。'],
  自然资源: ['反映村集体土地被邻村占用种植速生桉，请求确权并恢复原状。', '反映宅基地审批长期未办理，请求加快办理。'],
  城乡建设: ['反映小区旁道路施工夜间噪音扰民，请求规范施工时间。', '反映老旧小区改造进度缓慢，雨季屋面渗漏，请求尽快维修。'],
  农村农业: ['反映耕地地力保护补贴未足额发放，请求核实补发。', '反映村道硬化工程质量差，已出现开裂，请求督促整改。'],
  房产物业: ['反映购买的商品房逾期交房两年，开发商拒不赔偿，请求处理。', '反映物业公司未经业主同意上调物业费，请求查处。'],
  生态环境: ['反映附近养猪场污水直排河道，气味刺鼻，请求查处。'],
  民政与应急: ['反映家庭困难申请低保未获批准，请求重新审核。'],
  教育: ['反映子女入学被安排到离家较远学校，请求调整学位。'],
  卫生健康: ['反映在镇卫生院就医时收费不明，请求核查退费。'],
  交通运输: ['反映乡村客运班线停运，群众出行困难，请求恢复班线。'],
};
const CATEGORIES = Object.keys(CONTENT);

/** A small seeded PRNG (mulberry32) so the demo is the same every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Plan =
  | 'registered' | 'not_accepted' | 'transferred' | 'assigned' | 'handling' | 'extended'
  | 'concluded' | 'review' | 'reviewed' | 'recheck' | 'closed';

/** How far into its life a case of a given age gets, weighted towards what an office really holds. */
function pickPlan(age: number, r: number): Plan {
  if (age < 3) return 'registered';
  if (age < 12) return r < 0.45 ? 'registered' : r < 0.75 ? 'assigned' : r < 0.9 ? 'handling' : 'transferred';
  if (age < 30) return r < 0.08 ? 'registered' : r < 0.2 ? 'not_accepted' : r < 0.3 ? 'transferred' : r < 0.45 ? 'assigned' : r < 0.85 ? 'handling' : 'concluded';
  if (age < 75) return r < 0.05 ? 'assigned' : r < 0.5 ? 'handling' : r < 0.6 ? 'extended' : 'concluded';
  return r < 0.08 ? 'handling' : r < 0.18 ? 'extended' : r < 0.6 ? 'concluded' : r < 0.72 ? 'review' : r < 0.84 ? 'reviewed' : r < 0.92 ? 'recheck' : 'closed';
}

/** The people who act on the demo's cases. */
interface Cast {
  staff: User[];
  admin: User;
  leaders: User[];
  /** One user of each unit, by unit name. */
  unitUsers: Map<string, User>;
}

interface Petitioner {
  name: string;
  idNumber: string;
  phone: string;
  town: string;
}

/** One seeding run: the seeded randomness, the clock each step sets, and the service that registers and moves cases. */
interface Run {
  today: IsoDate;
  cast: Cast;
  rand: () => number;
  pick: <T>(xs: T[]) => T;
  clock: { t: Date };
  cases: CaseService;
  /** Sets the clock to a day and time in Shanghai. */
  at: (date: IsoDate, time: string) => void;
}

export async function seedDemoCases(core: Core, opts: { today: IsoDate; count?: number }): Promise<number> {
  const ref = core.reference();
  const cast = castOf(await core.users.list());
  if (!cast) return 0;
  const towns = ref.towns.filter((t) => t !== '县直');
  const rand = rng(20261127);
  const clock = { t: new Date() };
  const run: Run = {
    today: opts.today, cast, rand, clock,
    pick: (xs) => xs[Math.floor(rand() * xs.length)],
    cases: new CaseService({ ...core, now: () => clock.t }),
    at: (date, time) => {
      clock.t = shanghaiInstant(date, time);
    },
  };
  const people = petitioners(run, towns);

  const outboxBefore = await lastOutboxId(core.db);
  const count = opts.count ?? 320;
  let made = 0;
  for (let i = 0; i < count; i++) {
    const person = i % 7 === 3 ? people[i % 20] : people[i % people.length];
    await seedCase(run, person);
    made++;
  }
  // Messages the seeding caused (交办 cards and the like) are history, not news: don't send them.
  await dropOutboxAfter(core.db, outboxBefore);
  return made;
}

function castOf(users: User[]): Cast | null {
  const staff = users.filter((u) => u.role === 'staff');
  const admin = users.find((u) => u.role === 'admin');
  const leaders = users.filter((u) => u.role === 'leader');
  const unitUsers = new Map<string, User>();
  for (const u of users) if (u.role === 'unit' && u.unit && !unitUsers.has(u.unit)) unitUsers.set(u.unit, u);
  if (!staff.length || !admin || !unitUsers.size) return null;
  return { staff, admin, leaders, unitUsers };
}

/** The unit a case is assigned to: the town's government or the department of its category, whichever the demo has. */
function unitFor(unitUsers: Map<string, User>, town: string, category: string): string {
  const byCategory: Record<string, string> = {
    劳动和社会保障: '县人力资源和社会保障局', 自然资源: '县自然资源局', 城乡建设: '县住房和城乡建设局', 生态环境: '县生态环境局',
    交通运输: '县交通运输局', 卫生健康: '县卫生健康局', 教育: '县教育局', 民政与应急: '县民政局', 房产物业: '县住房和城乡建设局',
  };
  const town_unit = `${town}人民政府`;
  const unit = Math.abs(town.charCodeAt(0) + category.charCodeAt(0)) % 2 === 0 && byCategory[category] ? byCategory[category] : town_unit;
  return unitUsers.has(unit) ? unit : [...unitUsers.keys()][0];
}

/** A few people come back (重复信访): a pool of petitioners, some drawn more than once. */
function petitioners({ rand, pick }: Run, towns: string[]): Petitioner[] {
  return Array.from({ length: 220 }, (_, i) => {
    const birth = `19${String(45 + Math.floor(rand() * 55)).padStart(2, '0')}${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const first17 = `441823${birth}${String(100 + i).slice(-3)}`;
    return {
      name: pick(SURNAMES) + pick(GIVEN),
      idNumber: first17 + idCheckChar(first17),
      phone: `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
      town: pick(towns),
    };
  });
}

/** One case: registered on a day of the last five months, then taken as far along its life as its age allows. */
async function seedCase(run: Run, person: Petitioner): Promise<void> {
  const { rand, pick } = run;
  const age = Math.floor(rand() * 160);
  const received = addDays(run.today, -age);
  const category = pick(CATEGORIES);
  const channel: PetitionChannel = pick(['来访', '来访', '来信', '网上信访', '网上信访', '电话', '领导接访']);
  const headcount = rand() < 0.06 ? 5 + Math.floor(rand() * 20) : 1;
  run.at(received, `${String(9 + Math.floor(rand() * 7)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`);
  const { record } = await run.cases.register({
    name: person.name, idNumber: person.idNumber, phone: person.phone, address: `${person.town}某村`,
    headcount, channel, town: person.town, category, purpose: pick(['求决', '求决', '申诉', '意见建议', null]),
    content: pick(CONTENT[category]), receivedAt: run.clock.t, sessionId: null, registeredBy: pick(run.cast.staff).id,
  });
  const plan = pickPlan(age, rand());
  // Each step happens `gap` days after the previous one; a step that would fall after today
  // does not happen, and the case stays where it got to.
  let day = received;
  const step = async (gap: number, cmd: CaseCommand, user: User) => {
    const next = addDays(day, gap);
    if (next > run.today) return false;
    day = next;
    run.at(day, '10:00');
    await run.cases.transition(record.caseNo, cmd, user);
    return true;
  };
  await playCase(run, plan, step, unitFor(run.cast.unitUsers, person.town, category));
}

type Step = (gap: number, cmd: CaseCommand, user: User) => Promise<boolean>;

/** The steps of a case's life up to its plan: 不予受理 or 转送, else 交办, 办理, 办结, 复查, 复核. */
async function playCase(run: Run, plan: Plan, step: Step, unit: string): Promise<void> {
  const { rand, pick, cast } = run;
  const { admin, leaders } = cast;
  const clerk = pick(cast.staff);
  if (plan === 'registered') return;
  if (plan === 'not_accepted') return void (await step(3, { action: 'reject', reason: '该事项已经依法作出处理决定，不属于信访受理范围' }, clerk));
  if (plan === 'transferred') return void (await step(2, { action: 'transfer', organ: '市中级人民法院' }, clerk));

  const unitUser = cast.unitUsers.get(unit)!;
  if (!(await step(2 + Math.floor(rand() * 6), { action: 'assign', unit }, clerk))) return;
  if (rand() < 0.08 && leaders.length) await step(0, { action: 'own', leaderId: pick(leaders).id }, admin);
  if (rand() < 0.06) await step(0, { action: 'supervise', note: '群众反映强烈，挂牌督办' }, admin);
  if (plan === 'assigned') return;
  if (!(await step(5 + Math.floor(rand() * 6), { action: 'unitAccept' }, unitUser))) return;
  if (rand() < 0.3) await step(10, { action: 'progress', note: '已约谈相关当事人，正在调查核实。' }, unitUser);
  if (plan === 'handling') return;
  if (plan === 'extended') return void (await step(40, { action: 'extend', days: 30, reason: '涉及多个部门，需进一步调查核实' }, clerk));
  if (!(await step(20 + Math.floor(rand() * 30), { action: 'conclude', summary: '经调查核实，已督促相关方落实整改，并书面答复信访人。' }, unitUser))) return;
  if (plan === 'concluded') return;
  if (!(await step(10, { action: 'requestReview', note: '信访人对答复意见不服，申请复查' }, clerk))) return;
  if (plan === 'review') return;
  if (!(await step(20, { action: 'answerReview', summary: '复查维持原处理意见。' }, clerk))) return;
  if (plan === 'reviewed') return;
  if (!(await step(10, { action: 'requestRecheck', note: '信访人申请复核' }, clerk))) return;
  if (plan === 'recheck') return;
  await step(20, { action: 'answerRecheck', summary: '复核维持复查意见，信访事项终结。' }, clerk);
}
