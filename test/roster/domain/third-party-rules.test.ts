import { RosterRulesError } from '../../../src/roster/domain';
import {
  checkThirdParty, clashOf, parseThirdPartyRules, planThirdParties, publicThirdPartyText, sameHalfDay, ThirdParty, thirdPartyLabel, TpBooking, TpSession,
} from '../../../src/roster/domain/third-party-rules';

const lawyer = (id: number, name: string, active = true): ThirdParty => ({ id, name, kind: '律师', organisation: '正衡律师事务所', phone: '13900001001', active });
const counsellor = (id: number, name: string): ThirdParty => ({ id, name, kind: '心理咨询师', organisation: null, phone: '13900001002', active: true });

let seq = 0;
function session(date: string, slot: '上午' | '下午' | '全天' = '全天', venue: 'center' | 'town' = 'center'): TpSession {
  seq++;
  return venue === 'center'
    ? { id: seq, date, slot, type: '接访', venueId: 'county-center', venueName: '县群众来访接待中心', venueKind: 'center' }
    : { id: seq, date, slot, type: '接访', venueId: 'zz-yangcheng', venueName: '阳城镇综治中心', venueKind: 'town' };
}
const booking = (s: TpSession, thirdPartyId: number, how: 'rule' | 'hand' = 'rule'): TpBooking =>
  ({ sessionId: s.id, thirdPartyId, how, date: s.date, slot: s.slot, venueName: s.venueName });

const LAWYER_AT_CENTER = parseThirdPartyRules({ thirdParty: [{ kind: '律师', venue: 'center', every: 'session' }] });

describe('the thirdParty rules of the roster rules file', () => {
  test('read with their defaults; a file without them has none', () => {
    expect(LAWYER_AT_CENTER).toEqual([{ kind: '律师', venue: 'center', every: 'session', count: 1 }]);
    expect(parseThirdPartyRules({ rules: [] })).toEqual([]);
  });

  test('a wrong kind or count is named in Chinese', () => {
    expect(() => parseThirdPartyRules({ thirdParty: [{ kind: '会计', venue: 'center' }] })).toThrow(RosterRulesError);
    expect(() => parseThirdPartyRules({ thirdParty: [{ kind: '会计' }] })).toThrow(/thirdParty\.0\.kind.*律师、心理咨询师、调解员、其他/);
    expect(() => parseThirdPartyRules({ thirdParty: [{ kind: '律师', count: 0 }] })).toThrow(/thirdParty\.0\.count/);
  });
});

describe('half-days', () => {
  test('全天 takes both halves; 上午 and 下午 of one day do not meet; another day never', () => {
    expect(sameHalfDay({ date: '2026-03-05', slot: '全天' }, { date: '2026-03-05', slot: '下午' })).toBe(true);
    expect(sameHalfDay({ date: '2026-03-05', slot: '上午' }, { date: '2026-03-05', slot: '下午' })).toBe(false);
    expect(sameHalfDay({ date: '2026-03-05', slot: '上午' }, { date: '2026-03-06', slot: '上午' })).toBe(false);
  });

  test('clashOf finds the other session of the person that half-day, not the same one', () => {
    const a = session('2026-03-05', '上午');
    const b = session('2026-03-05', '全天', 'town');
    expect(clashOf(1, b, [booking(a, 1)])).toMatchObject({ sessionId: a.id });
    expect(clashOf(1, a, [booking(a, 1)])).toBeNull();
    expect(clashOf(2, b, [booking(a, 1)])).toBeNull();
  });
});

describe('planThirdParties: a lawyer at every county-centre session, fairly rotated', () => {
  test('every centre session gets one lawyer, none at the town; each lawyer within one session of the others', () => {
    const days = Array.from({ length: 20 }, (_, i) => `2026-03-${String(i + 2).padStart(2, '0')}`);
    const sessions = [...days.map((d) => session(d)), session('2026-03-10', '全天', 'town')];
    const people = [lawyer(1, '张明远'), lawyer(2, '李书瑶'), lawyer(3, '陈嘉树'), counsellor(4, '何静怡')];
    const plan = planThirdParties({ rules: LAWYER_AT_CENTER, people, sessions, bookings: [] });
    expect(plan.add).toHaveLength(20);
    expect(new Set(plan.add.map((a) => a.sessionId)).size).toBe(20);
    expect(plan.add.some((a) => a.sessionId === sessions[20].id)).toBe(false);
    expect(plan.add.some((a) => a.thirdPartyId === 4)).toBe(false);
    const per = [1, 2, 3].map((id) => plan.add.filter((a) => a.thirdPartyId === id).length);
    expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    expect(plan.gaps).toEqual([]);
  });

  test('a lawyer already booked that half-day is skipped; when nobody is free the session is a gap', () => {
    const town = session('2026-03-05', '全天', 'town');
    const center = session('2026-03-05', '上午');
    const people = [lawyer(1, '张明远'), lawyer(2, '李书瑶')];
    const plan = planThirdParties({ rules: LAWYER_AT_CENTER, people, sessions: [center], bookings: [booking(town, 1, 'hand')] });
    expect(plan.add).toEqual([{ sessionId: center.id, thirdPartyId: 2 }]);
    const none = planThirdParties({ rules: LAWYER_AT_CENTER, people, sessions: [center], bookings: [booking(town, 1, 'hand'), booking(town, 2, 'hand')] });
    expect(none.add).toEqual([]);
    expect(none.gaps).toEqual([{ kind: '律师', session: center }]);
  });

  test('regenerating keeps what holds (nothing to add), drops a booking of someone who left, and keeps by-hand ones', () => {
    const a = session('2026-04-01');
    const b = session('2026-04-02');
    const town = session('2026-04-03', '全天', 'town');
    const people = [lawyer(1, '张明远'), lawyer(2, '李书瑶', false), lawyer(3, '陈嘉树')];
    const plan = planThirdParties({
      rules: LAWYER_AT_CENTER, people, sessions: [a, b, town], bookings: [booking(a, 1), booking(b, 2), booking(town, 3, 'hand')],
    });
    expect(plan.drop).toEqual([{ sessionId: b.id, thirdPartyId: 2 }]);
    // Both left have one booking here; 张明远's is the earlier, so it is his turn.
    expect(plan.add).toEqual([{ sessionId: b.id, thirdPartyId: 1 }]);
    expect(plan.drop.some((d) => d.thirdPartyId === 3)).toBe(false);
    const again = planThirdParties({ rules: LAWYER_AT_CENTER, people, sessions: [a, b], bookings: [booking(a, 1), booking(b, 3)] });
    expect(again).toMatchObject({ add: [], drop: [], gaps: [] });
  });

  test('turning the rule off drops its bookings; a rule naming a venue nobody has is reported idle', () => {
    const a = session('2026-04-01');
    const off = planThirdParties({ rules: [], people: [lawyer(1, '张明远')], sessions: [a], bookings: [booking(a, 1)] });
    expect(off.drop).toEqual([{ sessionId: a.id, thirdPartyId: 1 }]);
    const misspelt = parseThirdPartyRules({ thirdParty: [{ kind: '律师', venue: '县信访接待中心' }] });
    expect(planThirdParties({ rules: misspelt, people: [lawyer(1, '张明远')], sessions: [a], bookings: [] }).idle).toEqual(misspelt);
    const byName = parseThirdPartyRules({ thirdParty: [{ kind: '律师', venue: '县群众来访接待中心' }] });
    expect(planThirdParties({ rules: byName, people: [lawyer(1, '张明远')], sessions: [a], bookings: [] }).add).toHaveLength(1);
  });
});

describe('a roster entry', () => {
  test('checked: kind words, phone, name; the reason in Chinese', () => {
    expect(checkThirdParty({ name: ' 张明远 ', kind: '律师', organisation: '', phone: '139 0000 1001' }))
      .toEqual({ ok: true, value: { name: '张明远', kind: '律师', organisation: null, phone: '13900001001' } });
    expect(checkThirdParty({ name: '何静怡', kind: '心理', phone: '0763-6620101' })).toMatchObject({ ok: true, value: { kind: '心理咨询师' } });
    expect(checkThirdParty({ name: '张明远', kind: '会计', phone: '13900001001' })).toEqual({ ok: false, reason: expect.stringContaining('类别“会计”不对') });
    expect(checkThirdParty({ name: '张明远', kind: '律师', phone: '1390000' })).toEqual({ ok: false, reason: expect.stringContaining('手机号应为11位') });
    expect(checkThirdParty({ name: '', kind: '律师', phone: '13900001001' })).toEqual({ ok: false, reason: '请填写姓名。' });
  });

  test('reads with the phone masked on request; the public reads the kind only unless names are allowed', () => {
    const p = lawyer(1, '张明远');
    expect(thirdPartyLabel(p)).toBe('律师：张明远（正衡律师事务所）');
    expect(thirdPartyLabel(p, true)).toBe('律师：张明远（正衡律师事务所，139****1001）');
    expect(publicThirdPartyText([p, counsellor(2, '何静怡')], false)).toBe('律师参与接访、心理咨询师参与接访');
    expect(publicThirdPartyText([p], true)).toBe('律师参与接访（张明远）');
    expect(publicThirdPartyText([], true)).toBeNull();
  });
});
