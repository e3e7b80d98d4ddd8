import { Contacts, DEFAULT_ESCALATION, escalationLevel, findDirector, flagsLetter, recipientsFor, unitOf } from '../../../src/reminders/domain/escalation';
import type { User } from '../../../src/platform/directory/user-store';
import type { Chat } from '../../../src/platform/directory/chat-store';

const chat = (id: string, o: Partial<Chat> = {}): Chat => ({ id, name: null, unit: null, role: null, venueId: null, ...o }) as Chat;
const user = (id: string, o: Partial<User> = {}): User => ({ id, name: id, role: 'staff', unit: null, town: null, title: null, ...o }) as User;

const contacts = (o: Partial<Contacts> = {}): Contacts => ({
  unitChats: new Map([['县自然资源局', [chat('oc_zr')]]]),
  unitContacts: new Map([['县住建局', [user('u-zj', { role: 'unit', unit: '县住建局' })]]]),
  bureau: [chat('oc_bureau')],
  supervision: [chat('oc_sup')],
  director: user('dir-1', { role: 'admin', title: '局长' }),
  ...o,
});

describe('the 3-working-day escalation', () => {
  test('by default: the unit, then supervision from 1 working day overdue, the leader and a 督办函 flag from 3', () => {
    expect([0, 1, 2, 3, 4].map((n) => escalationLevel(n, DEFAULT_ESCALATION))).toEqual([0, 1, 1, 2, 2]);
    expect([0, 1, 2].map((l) => flagsLetter(l as 0 | 1 | 2))).toEqual([false, false, true]);
  });

  test('who is told at each level: unit group, supervision, then the 包案 leader (else the director)', () => {
    const c = contacts();
    expect(recipientsFor({ leaderId: 'ld-1' }, '县自然资源局', 0, c)).toEqual([{ type: 'chat', id: 'oc_zr', role: 'unit' }]);
    expect(recipientsFor({ leaderId: 'ld-1' }, '县自然资源局', 1, c).map((r) => r.role)).toEqual(['unit', 'supervision']);
    expect(recipientsFor({ leaderId: 'ld-1' }, '县自然资源局', 2, c)).toEqual([
      { type: 'chat', id: 'oc_zr', role: 'unit' },
      { type: 'chat', id: 'oc_sup', role: 'supervision' },
      { type: 'user', id: 'ld-1', role: 'leader' },
    ]);
    expect(recipientsFor({ leaderId: null }, '县自然资源局', 2, c).at(-1)).toEqual({ type: 'user', id: 'dir-1', role: 'director' });
  });

  test('a unit without a group gets its contact; without either, the bureau group; no supervision group: the bureau, once', () => {
    const c = contacts({ supervision: [] });
    expect(recipientsFor({ leaderId: null }, '县住建局', 0, c)).toEqual([{ type: 'user', id: 'u-zj', role: 'unit' }]);
    expect(recipientsFor({ leaderId: null }, '县交通运输局', 1, c)).toEqual([{ type: 'chat', id: 'oc_bureau', role: 'bureau' }]);
    expect(recipientsFor({ leaderId: null }, '县住建局', 1, c)).toEqual([
      { type: 'user', id: 'u-zj', role: 'unit' },
      { type: 'chat', id: 'oc_bureau', role: 'supervision' },
    ]);
  });

  test('who must act: the deadline’s unit, else the case’s; the bureau decides 受理/交办 itself', () => {
    expect(unitOf({ kind: 'conclusion', deadlineUnit: '阳城镇', caseUnit: '县住建局' })).toBe('阳城镇');
    expect(unitOf({ kind: 'conclusion', deadlineUnit: null, caseUnit: '县住建局' })).toBe('县住建局');
    expect(unitOf({ kind: 'decision', deadlineUnit: null, caseUnit: '县住建局' })).toBeNull();
  });

  test('the director: the configured one, else the 局长 (not the 副局长)', () => {
    const users = [user('dep', { role: 'admin', title: '副局长' }), user('dir', { role: 'admin', title: '县信访局局长' })];
    expect(findDirector(users)?.id).toBe('dir');
    expect(findDirector([users[0]])?.id).toBe('dep');
    expect(findDirector(users, 'dep')?.id).toBe('dep');
    expect(findDirector(users, 'ou_x')).toMatchObject({ id: 'ou_x', title: '局长' });
    expect(findDirector([])).toBeNull();
  });
});
