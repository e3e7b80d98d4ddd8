import type { Core, FeatureFactory } from '../platform/core/feature';
import type { IsoDate } from '../platform/calendar/domain/dates';
import { registerLetterCommands } from './letter-commands';
import { LetterService } from './letter-service';
import type { LetterKind } from './letter-numbering';
import { LetterStore } from './letter-store';
import { SuggestionLetters } from './suggestion-letter';

/** 督办函, 提醒函 and 改进工作建议函: numbered per kind and year, kept in one register (chat: 督办函/提醒函/建议函). */
export const createLettersFeature: FeatureFactory = (core) => {
  const letters = new LetterService(core);
  return {
    name: 'letters',
    registerBot: (router) => registerLetterCommands(router, letters, new SuggestionLetters(core), () => core.reference().units),
  };
};

export { registerLettersCli } from './letters-cli';
export { LETTER_KINDS } from './letter-numbering';
export type { LetterKind };

/** Letters issued in a period, by kind (every kind present, 0 when none), and their total. */
export async function letterFigures(core: Pick<Core, 'db'>, period: { from: IsoDate; to: IsoDate }): Promise<Record<LetterKind, number> & { total: number }> {
  const byKind = await new LetterStore(core.db).countsBetween(period.from, period.to);
  return { ...byKind, total: Object.values(byKind).reduce((s, n) => s + n, 0) };
}
