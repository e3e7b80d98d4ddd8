import { addDays, IsoDate } from '../platform/calendar/domain';
import type { RosterLeader, RosterVenue, Unavailability } from '../roster';
import type { Chat } from '../platform/directory/chat-store';
import type { User } from '../platform/directory/user-store';

/**
 * The demo county as plain data. Every person here is invented: the names are composed for
 * this demo and belong to no real official.
 */
export interface DemoCounty {
  users: User[];
  leaders: RosterLeader[];
  venues: RosterVenue[];
  chats: Chat[];
}

/** Console ids for the towns (pinyin), so a newcomer can type them. */
export const TOWN_IDS: Record<string, string> = {
  阳城镇: 'yangcheng', 七拱镇: 'qigong', 太平镇: 'taiping', 杨梅镇: 'yangmei', 大崀镇: 'dalang', 小江镇: 'xiaojiang',
  岭背镇: 'lingbei', 黄坌镇: 'huangben', 黎埠镇: 'libu', 江英镇: 'jiangying', 青莲镇: 'qinglian', 秤架瑶族乡: 'chengjia',
};

const UNIT_IDS: Record<string, string> = {
  县人力资源和社会保障局: 'rsj', 县自然资源局: 'zrj', 县住房和城乡建设局: 'zjj', 县农业农村局: 'nyj', 县市场监督管理局: 'scj',
  县生态环境局: 'hbj', 县交通运输局: 'jtj', 县卫生健康局: 'wjj', 县教育局: 'jyj', 县民政局: 'mzj', 县公安局: 'gaj',
  县司法局: 'sfj', 县应急管理局: 'yjj',
};

const COUNTY_LEADERS: Array<[string, string]> = [
  ['林启航', '县委书记'],
  ['周庭远', '县委副书记、县长'],
  ['黄思源', '县人大常委会主任'],
  ['陈沐阳', '县政协主席'],
  ['何景澄', '县委副书记'],
  ['罗一舟', '县委常委、常务副县长'],
  ['梁晓岚', '县委常委、组织部部长'],
  ['郑怀谷', '县委常委、纪委书记、监委主任'],
  ['谢青禾', '县委常委、政法委书记'],
  ['吴岳松', '县委常委、宣传部部长'],
  ['冯知远', '县委常委、统战部部长'],
  ['邓书衡', '县委常委、县委办公室主任'],
  ['曾南屿', '副县长（分管农业农村）'],
  ['彭若川', '副县长、县公安局局长'],
  ['苏映雪', '副县长（分管教育、卫生健康）'],
  ['蒋北辰', '副县长（分管住房城乡建设、交通）'],
  ['韩立言', '副县长（分管自然资源、生态环境）'],
  ['唐静姝', '县人大常委会副主任'],
  ['许望舒', '县政协副主席'],
  ['钟砚秋', '县人大常委会副主任'],
];

const TOWN_POSTS = ['党委书记', '{head}', '党委副书记', '人大主席', '副{kind}长'];
/** Leaders per town: 3 to 5. */
const TOWN_SIZES = [5, 4, 4, 3, 5, 4, 3, 4, 5, 3, 4, 3];

const SURNAMES = ['黎', '严', '温', '卢', '范', '潘', '袁', '姚', '邱', '汤', '莫', '石', '覃', '龙', '秦', '江', '丁', '孔', '方', '程', '白', '岑', '甘', '柯'];
const GIVEN = [
  '嘉禾', '子衿', '远帆', '可风', '南乔', '知秋', '星野', '晴川', '安歌', '慕白', '云舒', '景行', '清和', '亦舟', '听澜',
  '若水', '怀瑾', '朝夕', '逸尘', '望溪', '秋实', '春晖', '临川', '一苇', '松年', '见山', '禾丰', '思齐', '明泉', '向暖',
];

const STAFF: Array<[string, string]> = [['staff1', '温小禾'], ['staff2', '莫嘉言'], ['staff3', '岑可心']];

function personName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7 + Math.floor(i / SURNAMES.length)) % GIVEN.length]}`;
}

/** The demo county for the towns and units of config/reference.json. */
export function buildDemoCounty(ref: { towns: string[]; units: string[]; venues: Array<{ id: string; name: string; kind: string; town?: string | null }> }): DemoCounty {
  const towns = ref.towns.filter((t) => t !== '县直');
  const users: User[] = [];
  const leaders: RosterLeader[] = [];
  const venues: RosterVenue[] = [];
  const chats: Chat[] = [];
  const used = new Set<string>();
  let nameSeq = 0;
  const freshName = () => {
    let n = personName(nameSeq++);
    while (used.has(n) || COUNTY_LEADERS.some(([c]) => c === n)) n = personName(nameSeq++);
    used.add(n);
    return n;
  };

  users.push({ id: 'admin', name: '信访局管理员', role: 'admin', unit: null, town: null, title: '县信访局办公室主任' });
  for (const [id, name] of STAFF) users.push({ id, name, role: 'staff', unit: null, town: null, title: '登记员' });

  COUNTY_LEADERS.forEach(([name, title], i) => {
    const id = `county${String(i + 1).padStart(2, '0')}`;
    const contact = towns[i % towns.length];
    users.push({ id, name, role: 'leader', unit: null, town: contact, title });
    leaders.push({
      id, name, level: 'county', title, towns: [contact], sortOrder: i + 1, active: true,
      // The county head covers for the secretary, the first deputy head for the county head, and so on down the list.
      deputyId: i < COUNTY_LEADERS.length - 1 ? `county${String(i + 2).padStart(2, '0')}` : 'county01',
    });
  });

  const center = ref.venues.find((v) => v.kind === 'center') ?? { id: 'county-center', name: '县群众来访接待中心' };
  venues.push({ id: center.id, name: center.name, kind: 'center', town: null, address: '县城人民路 88 号县信访局一楼' });
  chats.push({ id: 'oc_venue_center', name: `${center.name}工作群`, unit: null, role: 'venue', venueId: center.id });

  towns.forEach((town, ti) => {
    const key = TOWN_IDS[town] ?? `town${ti + 1}`;
    const isXiang = town.endsWith('乡');
    const kind = isXiang ? '乡' : '镇';
    const size = TOWN_SIZES[ti % TOWN_SIZES.length];
    const venueId = `zz-${key}`;
    venues.push({ id: venueId, name: `${town}综治中心`, kind: 'town', town, address: `${town}人民政府大院综治中心` });
    chats.push({ id: `oc_venue_${key}`, name: `${town}综治中心工作群`, unit: null, role: 'venue', venueId });
    for (let p = 0; p < size; p++) {
      const id = `${key}${p + 1}`;
      const post = TOWN_POSTS[p].replace('{head}', `${kind}长`).replace('{kind}', kind);
      const title = `${town}${post}`;
      const name = freshName();
      users.push({ id, name, role: 'leader', unit: null, town, title });
      leaders.push({
        id, name, level: 'town', title, towns: [town], sortOrder: 100 + ti * 10 + p, active: true,
        deputyId: `${key}${p + 2 <= size ? p + 2 : 1}`,
      });
    }
  });

  ref.units.forEach((unit, ui) => {
    const town = towns.find((t) => unit.startsWith(t));
    const key = town ? `zf-${TOWN_IDS[town] ?? ui}` : (UNIT_IDS[unit] ?? `unit${String(ui + 1).padStart(2, '0')}`);
    users.push({ id: key, name: freshName(), role: 'unit', unit, town: town ?? null, title: '信访联络员' });
    chats.push({ id: `oc_unit_${key.replace(/-/g, '_')}`, name: `${unit}信访工作群`, unit, role: null, venueId: null });
  });

  chats.push(
    { id: 'oc_bureau', name: '县信访局工作群', unit: null, role: 'bureau', venueId: null },
    { id: 'oc_supervision', name: '信访督查督办群', unit: null, role: 'supervision', venueId: null },
    { id: 'oc_leaders', name: '县领导接访下访工作群', unit: null, role: 'leaders', venueId: null },
  );
  return { users, leaders, venues, chats };
}

/** A few absences near today, so the plan shows deputies and moved days. */
export function demoUnavailability(today: IsoDate): Unavailability[] {
  return [
    { leaderId: 'county05', from: addDays(today, 7), to: addDays(today, 20), reason: '参加省委党校学习', deputyId: 'county06' },
    { leaderId: 'yangcheng2', from: addDays(today, 14), to: addDays(today, 27), reason: '休假', deputyId: 'yangcheng3' },
    { leaderId: 'qigong1', from: addDays(today, 40), to: addDays(today, 44), reason: '外出招商', deputyId: null },
  ];
}

/**
 * A made-up county of n leaders over the given towns (for the benchmark): a quarter county
 * leaders, the rest spread over the towns.
 */
export function syntheticCounty(n: number, towns: string[]): { leaders: RosterLeader[]; venues: RosterVenue[] } {
  const venues: RosterVenue[] = [{ id: 'county-center', name: '县群众来访接待中心', kind: 'center', town: null, address: null }];
  towns.forEach((t, i) => venues.push({ id: `zz-${i + 1}`, name: `${t}综治中心`, kind: 'town', town: t, address: null }));
  const county = Math.max(1, Math.round(n / 4));
  const leaders: RosterLeader[] = [];
  for (let i = 0; i < n; i++) {
    const isCounty = i < county;
    const town = towns[(i - county) % towns.length];
    leaders.push({
      id: `L${String(i + 1).padStart(4, '0')}`,
      name: `领导${i + 1}`,
      level: isCounty ? 'county' : 'town',
      title: isCounty ? '副县长' : `${town}副镇长`,
      towns: isCounty ? [towns[i % towns.length]] : [town],
      deputyId: null,
      sortOrder: i,
      active: true,
    });
  }
  return { leaders, venues };
}
