import { rectifyRecipients } from '../../src/reminders/review-reminders';
import type { Contacts } from '../../src/reminders/domain/escalation';
import type { Chat } from '../../src/platform/directory/chat-store';
import type { User } from '../../src/platform/directory/user-store';

const chat = (id: string, o: Partial<Chat> = {}): Chat => ({ id, name: id, unit: null, role: null, venueId: null, ...o } as Chat);
const user = (id: string, o: Partial<User> = {}): User => ({ id, name: id, role: 'unit', unit: null, town: null, title: null, ...o } as User);

describe('who a 整改 reminder goes to', () => {
  const contacts: Contacts = {
    unitChats: new Map([['县自然资源局', [chat('oc_zr', { unit: '县自然资源局' })]]]),
    unitContacts: new Map([['县住房和城乡建设局', [user('zj-1', { unit: '县住房和城乡建设局' })]]]),
    bureau: [chat('oc_bureau', { role: 'bureau' })],
    supervision: [chat('oc_sup', { role: 'supervision' })],
    director: user('dir-1', { role: 'admin', title: '局长' }),
  };
  const who = (unit: string, phase: 'before' | 'due' | 'overdue', level: 0 | 1 | 2, c = contacts) =>
    rectifyRecipients({ fixUnit: unit, reviewerId: 'staff-1' }, { phase, level }, c).map((r) => `${r.role}:${r.id}`);

  test('before and on the day: only the unit (its group, else its people, else the bureau group)', () => {
    expect(who('县自然资源局', 'before', 0)).toEqual(['unit:oc_zr']);
    expect(who('县住房和城乡建设局', 'due', 0)).toEqual(['unit:zj-1']);
    expect(who('阳城镇人民政府', 'before', 0)).toEqual(['bureau:oc_bureau']);
  });

  test('overdue: the bureau as well (not supervision), the director from the leader level; each once', () => {
    expect(who('县自然资源局', 'overdue', 1)).toEqual(['unit:oc_zr', 'bureau:oc_bureau']);
    expect(who('县自然资源局', 'overdue', 2)).toEqual(['unit:oc_zr', 'bureau:oc_bureau', 'director:dir-1']);
    expect(who('阳城镇人民政府', 'overdue', 1)).toEqual(['bureau:oc_bureau']);
    // Without a bureau group, the reviewer is told.
    expect(who('县自然资源局', 'overdue', 1, { ...contacts, bureau: [] })).toEqual(['unit:oc_zr', 'bureau:staff-1']);
  });
});
