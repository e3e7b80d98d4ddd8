import { z } from 'zod';
import { SESSION_TYPES, SLOTS } from './types';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间应为 HH:MM');

const slotTimes = z.object({ start: time, end: time }).refine((s) => s.start < s.end, '开始时间应早于结束时间');

const ruleSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '规则 id 只能含字母、数字、- 和 _'),
    /** What the rule says, in the words of the bureau's notice. */
    name: z.string().min(1),
    type: z.enum(SESSION_TYPES),
    /** Whose duty: all county leaders, all town leaders, or the listed leader ids. */
    leaders: z.union([z.enum(['county', 'town']), z.array(z.string().min(1)).min(1)]),
    /**
     * each: every leader has `count` days per period.
     * rotate: each pool (a town's leaders; or all leaders of the rule) provides `count` days per
     * period, the pool's leaders taking turns.
     */
    mode: z.enum(['each', 'rotate']).default('each'),
    /**
     * center: the county reception centre; own-town: the leader's (first) town's venue;
     * each-town: every town's venue, `count` times per period each (下访); or a venue id.
     */
    venue: z.union([z.enum(['center', 'own-town', 'each-town']), z.object({ id: z.string().min(1) })]),
    per: z.enum(['week', 'month', 'quarter', 'year']),
    count: z.number().int().min(1).max(31).default(1),
    slot: z.enum(SLOTS).default('全天'),
    /** Allowed weekdays (1 = Monday … 7 = Sunday); a 调休 Saturday is weekday 6. Default: any working day. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).optional(),
    /** 陪同单位; “{town}” becomes the venue's town. */
    accompany: z.array(z.string().min(1)).default([]),
    focus: z.string().max(200).nullable().default(null),
    capacity: z.number().int().positive().nullable().default(null),
  })
  .refine((r) => !(r.mode === 'rotate' && r.venue === 'each-town'), {
    message: '轮流（rotate）模式不能与“每个乡镇”（each-town）地点同用',
  });

const fileSchema = z.object({
  slots: z.object({ 上午: slotTimes, 下午: slotTimes, 全天: slotTimes }).default({
    上午: { start: '08:30', end: '12:00' },
    下午: { start: '14:30', end: '17:30' },
    全天: { start: '08:30', end: '17:30' },
  }),
  /** Towns that get no town venue rules (e.g. 县直 is not a place to go down to). */
  excludeTowns: z.array(z.string()).default(['县直']),
  rules: z.array(ruleSchema).min(1),
});

export type RosterRule = z.infer<typeof ruleSchema>;
export type RosterRules = z.infer<typeof fileSchema>;

export class RosterRulesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RosterRulesError';
  }
}

/** Validates a rules file (config/roster-rules.json); the message names the faulty field in Chinese. */
export function parseRosterRules(json: unknown): RosterRules {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(文件)'}：${i.message}`);
    throw new RosterRulesError(`排班规则有误：${lines.join('；')}`);
  }
  const ids = new Set<string>();
  for (const r of parsed.data.rules) {
    if (ids.has(r.id)) throw new RosterRulesError(`排班规则有误：规则 id“${r.id}”重复`);
    ids.add(r.id);
  }
  return parsed.data;
}
