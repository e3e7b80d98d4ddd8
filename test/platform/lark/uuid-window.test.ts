import { LARK_UUID_TTL_MS, resendNeedsConfirmation } from '../../../src/platform/lark/uuid-window';
import { toDbTime } from '../../../src/platform/database/time';

describe('a send again after Lark’s uuid hour needs a person’s confirmation', () => {
  const now = Date.parse('2026-03-02T06:00:00Z'); // 14:00 in Shanghai
  const row = (over: { attempts?: number; unansweredSince?: string | null } = {}) => ({
    id: 42, attempts: 3, unansweredSince: toDbTime(new Date(now - 2 * 3600_000)), ...over,
  });

  test('a send unanswered more than an hour ago: held, saying when, why and what to do', () => {
    const why = resendNeedsConfirmation(row(), now);
    expect(why).toContain('2026-03-02 12:00');
    expect(why).toContain('（2 小时前）');
    expect(resendNeedsConfirmation(row({ unansweredSince: toDbTime(new Date(now - 75 * 60_000)) }), now)).toContain('75 分钟前');
    expect(why).toContain('飞书按 uuid 去重只保留 1 小时');
    expect(why).toContain('xinfang outbox retry 42');
    expect(resendNeedsConfirmation(row({ unansweredSince: toDbTime(new Date(now - 3 * 86_400_000)) }), now)).toContain('3 天前');
  });

  test('within the hour, never tried, or every failure answered by Lark (a 500, a rate limit, a refused connection): free to go', () => {
    expect(LARK_UUID_TTL_MS).toBe(3600_000);
    expect(resendNeedsConfirmation(row({ unansweredSince: toDbTime(new Date(now - LARK_UUID_TTL_MS)) }), now)).toBeNull();
    expect(resendNeedsConfirmation(row({ unansweredSince: null }), now)).toBeNull();
    expect(resendNeedsConfirmation(row({ attempts: 0 }), now)).toBeNull();
  });
});
