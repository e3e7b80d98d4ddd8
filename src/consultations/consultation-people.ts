import type { Core } from '../platform/core/feature';
import type { User } from '../platform/directory/user-store';
import { UserError } from '../platform/errors/user-error';

/** Looks up who is named in a request: leaders (users of role leader), units, task owners. */
export class ConsultationPeople {
  private users: User[] | null = null;

  constructor(private readonly core: Core) {}

  private async all(): Promise<User[]> {
    if (!this.users) this.users = await this.core.users.list();
    return this.users;
  }

  /** Leaders by name or id; unknown names refused together, in Chinese. */
  async leaders(names: string[]): Promise<User[]> {
    const all = (await this.all()).filter((u) => u.role === 'leader');
    const found: User[] = [];
    const unknown: string[] = [];
    for (const n of names) {
      const hits = all.filter((u) => u.id === n || u.name === n || `${u.name}${u.title ?? ''}` === n);
      if (hits.length === 1) found.push(hits[0]);
      else if (hits.length > 1) throw new UserError(`有 ${hits.length} 位领导名叫“${n}”，请改用其用户编号（${hits.map((h) => h.id).join('、')}）。`);
      else unknown.push(n);
    }
    if (unknown.length) throw new UserError(`没有找到领导：${unknown.map((u) => `“${u.slice(0, 20)}”`).join('、')}。请写领导的姓名（须是系统中角色为“领导”的用户）。`);
    return [...new Map(found.map((u) => [u.id, u])).values()];
  }

  /** Units as the bureau spells them: config/reference.json's list, or a unit some user or group belongs to. */
  async units(names: string[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const n of names) if (!(await this.isUnit(n))) unknown.push(n);
    if (unknown.length) throw new UserError(`没有找到单位：${unknown.map((u) => `“${u.slice(0, 30)}”`).join('、')}。请写单位全称，如“县自然资源局”“阳城镇”。`);
    return [...new Set(names)];
  }

  async isUnit(name: string): Promise<boolean> {
    let reference: readonly string[] = [];
    try {
      reference = this.core.reference().units;
    } catch {
      reference = [];
    }
    if (reference.includes(name)) return true;
    if ((await this.all()).some((u) => u.unit === name)) return true;
    return (await this.core.chats.forUnit(name)).length > 0;
  }

  /** A task's owner: a unit, or a person by name or id. */
  async taskOwner(name: string): Promise<{ ownerKind: 'unit' | 'user'; owner: string }> {
    if (await this.isUnit(name)) return { ownerKind: 'unit', owner: name };
    const hits = (await this.all()).filter((u) => u.id === name || u.name === name);
    if (hits.length === 1) return { ownerKind: 'user', owner: hits[0].id };
    if (hits.length > 1) throw new UserError(`有 ${hits.length} 人名叫“${name}”，请改用其用户编号（${hits.map((h) => h.id).join('、')}）。`);
    throw new UserError(`任务的责任单位或责任人“${name.slice(0, 30)}”找不到，请写单位全称或系统中用户的姓名。`);
  }

  /** 李国强（县委副书记）, or the id when the user is gone. */
  async label(userId: string): Promise<string> {
    const u = (await this.all()).find((x) => x.id === userId);
    return u ? (u.title ? `${u.name}（${u.title}）` : u.name) : userId;
  }
}
