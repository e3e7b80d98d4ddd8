import fs from 'node:fs';
import { configPath } from '../platform/settings/config';
import { UserError } from '../platform/errors/user-error';
import type { Core } from '../platform/core/feature';
import { parseRosterRules, RosterRules, RosterRulesError, Slot } from './domain';
import { parseThirdPartyRules, ThirdPartyRule } from './domain/third-party-rules';

/** The roster rules file (config/roster-rules.json unless another is named): where it is, what it says. */
export class RulesFile {
  constructor(private readonly core: Core) {}

  path(file?: string): string {
    return file ?? configPath(this.core.config, this.core.config.ROSTER_RULES_FILE);
  }

  load(file?: string): RosterRules {
    const path = this.path(file);
    if (!fs.existsSync(path)) throw new UserError(`找不到排班规则文件：${path}`);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path, 'utf8'));
    } catch {
      throw new UserError(`排班规则文件 ${path} 不是合法的 JSON`);
    }
    try {
      return parseRosterRules(json);
    } catch (e) {
      if (e instanceof RosterRulesError) throw new UserError(e.message);
      throw e;
    }
  }

  /** The file's 第三方力量 rules ("thirdParty": lawyers, counsellors… at sessions); none when it lists none. */
  thirdPartyRules(file?: string): ThirdPartyRule[] {
    this.load(file); // the file's own checks first, with their messages
    try {
      return parseThirdPartyRules(JSON.parse(fs.readFileSync(this.path(file), 'utf8')));
    } catch (e) {
      if (e instanceof RosterRulesError) throw new UserError(e.message);
      throw e;
    }
  }

  /** A slot's hours from the rules; the default hours when the rules file cannot be read. */
  slotTimes(slot: Slot): { startTime: string; endTime: string } {
    let slots: RosterRules['slots'];
    try {
      slots = this.load().slots;
    } catch {
      slots = parseRosterRules({ rules: [{ id: 'x', name: 'x', type: '接访', leaders: 'county', venue: 'center', per: 'year' }] }).slots;
    }
    return { startTime: slots[slot].start, endTime: slots[slot].end };
  }
}
