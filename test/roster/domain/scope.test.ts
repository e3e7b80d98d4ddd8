import { matchScope } from '../../../src/roster/domain';
import { MINI_LEADERS, MINI_VENUES } from '../fixtures';

describe('接访安排 <words>: which town or leader is meant', () => {
  const find = (q: string) => matchScope(q, MINI_VENUES, MINI_LEADERS);

  test('a town by its name or its start, with its venues; the centre by its everyday names', () => {
    expect(find('阳城镇')).toEqual({ kind: 'town', town: '阳城镇', venueIds: ['zz-yangcheng'] });
    expect(find('七拱')).toEqual({ kind: 'town', town: '七拱镇', venueIds: ['zz-qigong'] });
    expect(find('接待中心')).toEqual({ kind: 'town', town: '县群众来访接待中心', venueIds: ['county-center'] });
  });

  test('a leader by name, id or a post only one holds; a post several hold asks which', () => {
    expect(find('林启航')).toMatchObject({ kind: 'leader', leader: { id: 'cty1' } });
    expect(find('yc2')).toMatchObject({ kind: 'leader', leader: { name: '严子衿' } });
    expect(find('常务副县长')).toMatchObject({ kind: 'leader', leader: { id: 'cty3' } });
    expect(find('党委书记')).toEqual({ kind: 'ambiguous', choices: ['黎嘉禾（阳城镇党委书记）', '卢可风（七拱镇党委书记）'] });
  });

  test('one character is no town, though it may be in several posts', () => {
    expect(find('阳')).toEqual({ kind: 'ambiguous', choices: ['黎嘉禾（阳城镇党委书记）', '严子衿（阳城镇镇长）', '温远帆（阳城镇副镇长）'] });
  });

  test('nothing known, or nothing asked', () => {
    expect(find('火星')).toEqual({ kind: 'none' });
    expect(find('  ')).toEqual({ kind: 'none' });
  });
});
