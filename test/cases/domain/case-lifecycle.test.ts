import { applyTransition, CASE_ACTIONS, CaseAction, CaseCommand, CaseState } from '../../../src/cases/domain/case-lifecycle';
import { Actor, availableActions, canView, permissionError } from '../../../src/cases/domain/case-access';
import { CASE_STATUSES, CaseStatus } from '../../../src/cases/domain/case-status';

const TODAY = '2026-03-10';

/** A valid command of each kind, so only the state decides. */
const valid: Record<CaseAction, CaseCommand> = {
  accept: { action: 'accept' },
  reject: { action: 'reject', reason: '不属于信访事项，应通过诉讼解决' },
  transfer: { action: 'transfer', organ: '市自然资源局' },
  assign: { action: 'assign', unit: '县自然资源局' },
  unitAccept: { action: 'unitAccept' },
  unitReject: { action: 'unitReject', reason: '已进入行政复议程序' },
  unitReturn: { action: 'unitReturn', reason: '不属本单位职责' },
  extend: { action: 'extend', days: 30, reason: '需现场勘测，经局长批准' },
  conclude: { action: 'conclude', summary: '已协调补发征地补偿款' },
  requestReview: { action: 'requestReview', note: '对答复不服' },
  answerReview: { action: 'answerReview', summary: '维持原处理意见' },
  requestRecheck: { action: 'requestRecheck' },
  answerRecheck: { action: 'answerRecheck', summary: '复核维持' },
  own: { action: 'own', leaderId: 'leader-li' },
  supervise: { action: 'supervise' },
  progress: { action: 'progress', note: '已约谈双方' },
};

/** Written out by hand from the issue and 条例, not derived from the module: where each action may start and where it leads. */
const EXPECTED: Record<CaseAction, Partial<Record<CaseStatus, CaseStatus>>> = {
  accept: { registered: 'handling' },
  reject: { registered: 'not_accepted' },
  transfer: { registered: 'transferred' },
  assign: { registered: 'assigned' },
  unitAccept: { assigned: 'handling' },
  unitReject: { assigned: 'not_accepted' },
  unitReturn: { assigned: 'registered' },
  extend: { handling: 'handling' },
  conclude: { handling: 'concluded' },
  requestReview: { concluded: 'review' },
  answerReview: { review: 'reviewed' },
  requestRecheck: { reviewed: 'recheck' },
  answerRecheck: { recheck: 'closed' },
  own: { registered: 'registered', assigned: 'assigned', handling: 'handling', review: 'review', recheck: 'recheck' },
  supervise: { registered: 'registered', assigned: 'assigned', handling: 'handling', review: 'review', recheck: 'recheck' },
  progress: { assigned: 'assigned', handling: 'handling' },
};

const state = (status: CaseStatus, extra: Partial<CaseState> = {}): CaseState => ({
  caseNo: '2026-000123', status, unit: status === 'assigned' || status === 'handling' ? '县自然资源局' : null,
  leaderId: null, supervised: false, extensionDays: null, ...extra,
});

describe('the case state machine: every status × every action', () => {
  const cells = CASE_STATUSES.flatMap((s) => CASE_ACTIONS.map((a) => [s, a] as const));

  test.each(cells)('%s + %s', (status, action) => {
    const r = applyTransition(state(status), valid[action], TODAY);
    const to = EXPECTED[action][status];
    if (to) {
      expect(r).toMatchObject({ ok: true, from: status, to });
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toContain('案件 2026-000123');
        expect(r.error).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  test('the table above covers 160 cells and 25 of them are legal', () => {
    expect(cells).toHaveLength(160);
    expect(Object.values(EXPECTED).reduce((n, m) => n + Object.keys(m).length, 0)).toBe(25);
  });
});

describe('what each transition records', () => {
  test('受理 by the bureau: handling at once, accepted today, no unit', () => {
    const r = applyTransition(state('registered'), valid.accept, TODAY);
    expect(r).toEqual({ ok: true, from: 'registered', to: 'handling', reason: null, data: {}, change: { status: 'handling', acceptedDate: TODAY, decidedDate: TODAY, unit: null, decisionReason: null } });
  });

  test('交办 sets the unit and the 交办 date; the unit’s 受理 sets the accepted date', () => {
    const a = applyTransition(state('registered'), valid.assign, TODAY);
    expect(a.ok && a.change).toEqual({ status: 'assigned', decidedDate: TODAY, assignedDate: TODAY, unit: '县自然资源局', decisionReason: null });
    const b = applyTransition(state('assigned'), valid.unitAccept, '2026-03-12');
    expect(b.ok && b.change).toEqual({ status: 'handling', acceptedDate: '2026-03-12' });
  });

  test('退回 hands the case back to the bureau without a unit, with the reason', () => {
    const r = applyTransition(state('assigned'), valid.unitReturn, TODAY);
    expect(r).toMatchObject({ ok: true, to: 'registered', reason: '不属本单位职责', change: { unit: null, assignedDate: null, decidedDate: null } });
  });

  test('不予受理 and 转送 need their reason or organ', () => {
    expect(applyTransition(state('registered'), { action: 'reject', reason: '   ' }, TODAY)).toEqual({ ok: false, error: '请填写不予受理的理由' });
    expect(applyTransition(state('registered'), { action: 'transfer', organ: '' }, TODAY)).toEqual({ ok: false, error: '请填写转送机关名称' });
    const t = applyTransition(state('registered'), valid.transfer, TODAY);
    expect(t.ok && t.change).toMatchObject({ status: 'transferred', transferTo: '市自然资源局' });
    const long = applyTransition(state('registered'), { action: 'reject', reason: '理'.repeat(501) }, TODAY);
    expect(long.ok).toBe(false);
    expect(!long.ok && long.error).toContain('最多 500 字');
  });

  test('延期: once only, 1–30 days, with a reason, before the period has run out', () => {
    const ok = applyTransition(state('handling', { conclusionDue: '2026-04-20' }), valid.extend, TODAY);
    expect(ok).toMatchObject({ ok: true, to: 'handling', change: { extensionDays: 30 }, reason: '需现场勘测，经局长批准' });
    expect(ok.ok && ok.change.status).toBeUndefined();

    const twice = applyTransition(state('handling', { extensionDays: 15 }), valid.extend, TODAY);
    expect(twice).toEqual({ ok: false, error: '案件 2026-000123 已延期过一次（15 日），《信访工作条例》第三十四条只允许延期一次' });

    for (const days of [0, 31, 45, 2.5, -3, Number.NaN]) {
      const r = applyTransition(state('handling'), { action: 'extend', days, reason: '需要' }, TODAY);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toContain('不得超过 30 日');
    }
    expect(applyTransition(state('handling'), { action: 'extend', days: 1, reason: '' }, TODAY)).toEqual({ ok: false, error: '请填写延期理由' });
    const late = applyTransition(state('handling', { conclusionDue: '2026-03-09' }), valid.extend, TODAY);
    expect(!late.ok && late.error).toContain('办结期限已于 2026年3月9日（周一）届满');
  });

  test('办结 needs a reply summary and records the reply date', () => {
    expect(applyTransition(state('handling'), { action: 'conclude', summary: '' }, TODAY)).toEqual({ ok: false, error: '请填写答复意见摘要' });
    const r = applyTransition(state('handling'), valid.conclude, TODAY);
    expect(r.ok && r.change).toEqual({ status: 'concluded', repliedDate: TODAY, replySummary: '已协调补发征地补偿款' });
  });

  test('复查 and 复核 only within their windows', () => {
    expect(applyTransition(state('concluded', { reviewRequestDue: TODAY }), valid.requestReview, TODAY).ok).toBe(true);
    const late = applyTransition(state('concluded', { reviewRequestDue: '2026-03-09' }), valid.requestReview, TODAY);
    expect(!late.ok && late.error).toContain('第三十五条');
    const lateRecheck = applyTransition(state('reviewed', { recheckRequestDue: '2026-03-09' }), valid.requestRecheck, TODAY);
    expect(!lateRecheck.ok && lateRecheck.error).toContain('第三十六条');
  });

  test('a closed case says the same matter is not accepted again', () => {
    const r = applyTransition(state('closed'), valid.requestReview, TODAY);
    expect(!r.ok && r.error).toContain('同一事项不再受理');
  });

  test('a case done twice is refused the second time with its state named', () => {
    const r = applyTransition(state('handling'), valid.accept, TODAY);
    expect(r).toEqual({ ok: false, error: '案件 2026-000123 当前状态为“办理中”，不能受理（只有“已登记”的案件可以受理）' });
  });

  test('包案 and 督办 keep the status;督办 twice and the same leader twice are refused', () => {
    const own = applyTransition(state('handling'), valid.own, TODAY);
    expect(own).toMatchObject({ ok: true, from: 'handling', to: 'handling', change: { leaderId: 'leader-li' } });
    expect(own.ok && own.change.status).toBeUndefined();
    expect(applyTransition(state('handling', { leaderId: 'leader-li' }), valid.own, TODAY).ok).toBe(false);
    expect(applyTransition(state('handling', { supervised: true }), valid.supervise, TODAY)).toEqual({ ok: false, error: '案件 2026-000123 已经挂牌督办' });
  });

  test('a forged action name is refused, not thrown', () => {
    expect(applyTransition(state('registered'), { action: 'delete' } as unknown as CaseCommand, TODAY)).toEqual({ ok: false, error: '未知的操作“delete”' });
  });
});

describe('who may do what', () => {
  const staff: Actor = { id: 'xiaoyan', role: 'staff', unit: null, towns: [] };
  const admin: Actor = { id: 'admin', role: 'admin', unit: null, towns: [] };
  const zr: Actor = { id: 'unit-zr', role: 'unit', unit: '县自然资源局', towns: [] };
  const jt: Actor = { id: 'unit-jt', role: 'unit', unit: '县交通运输局', towns: [] };
  const leader: Actor = { id: 'leader-li', role: 'leader', unit: null, towns: ['阳城镇'] };
  const scope = { caseNo: '2026-000123', town: '七拱镇', unit: '县自然资源局', leaderId: null };

  test('staff and admin see every case; a unit only its own; a leader those in their towns or that they own', () => {
    expect(canView(staff, scope)).toBe(true);
    expect(canView(admin, scope)).toBe(true);
    expect(canView(zr, scope)).toBe(true);
    expect(canView(jt, scope)).toBe(false);
    expect(canView(leader, scope)).toBe(false);
    expect(canView(leader, { ...scope, town: '阳城镇' })).toBe(true);
    expect(canView(leader, { ...scope, leaderId: 'leader-li' })).toBe(true);
    expect(canView({ ...zr, unit: null }, { ...scope, unit: null })).toBe(false);
  });

  test('a unit acts only on its own cases and only as a unit', () => {
    expect(permissionError(zr, scope, 'unitAccept')).toBeNull();
    expect(permissionError(zr, scope, 'conclude')).toBeNull();
    expect(permissionError(jt, scope, 'unitAccept')).toBe('您无权查看或办理案件 2026-000123');
    expect(permissionError(zr, scope, 'assign')).toContain('由信访局办理');
    expect(permissionError(zr, scope, 'own')).toContain('由信访局办理');
  });

  test('a leader may 督办 what they see, and report progress only on cases they own', () => {
    const mine = { ...scope, leaderId: 'leader-li' };
    expect(permissionError(leader, mine, 'supervise')).toBeNull();
    expect(permissionError(leader, mine, 'progress')).toBeNull();
    expect(permissionError(leader, { ...scope, town: '阳城镇' }, 'progress')).toContain('只有包案领导');
    expect(permissionError(leader, mine, 'accept')).toContain('领导不能直接操作');
    expect(permissionError(leader, scope, 'supervise')).toContain('无权');
  });

  test('the buttons: role and state together', () => {
    const reg = { ...state('registered'), ...scope, unit: null };
    expect(availableActions(staff, reg, TODAY)).toEqual(['accept', 'reject', 'transfer', 'assign', 'own', 'supervise']);
    const asg = { ...state('assigned'), ...scope };
    expect(availableActions(zr, asg, TODAY)).toEqual(['unitAccept', 'unitReject', 'unitReturn', 'progress']);
    expect(availableActions(jt, asg, TODAY)).toEqual([]);
    const h = { ...state('handling', { extensionDays: 30, supervised: true }), ...scope };
    expect(availableActions(zr, h, TODAY)).toEqual(['conclude', 'progress']);
    expect(availableActions(staff, { ...h, extensionDays: null, supervised: false, conclusionDue: '2026-03-01' }, TODAY)).toEqual(['conclude', 'own', 'supervise', 'progress']);
    expect(availableActions(staff, { ...state('closed'), ...scope }, TODAY)).toEqual([]);
    expect(availableActions(leader, { ...asg, town: '阳城镇' }, TODAY)).toEqual(['supervise']);
  });
});
