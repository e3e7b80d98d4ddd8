import { DbOutage } from '../../../src/platform/outbox/db-outage';
import type { Logger } from '../../../src/platform/logging/logger';

function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const say = (_o: unknown, msg: string) => void lines.push(msg);
  return { logger: { error: say, warn: say, info: say } as unknown as Logger, lines };
}

describe('a loop that fails for another reason than the database', () => {
  test('is said as what it is, once a minute, and is not an outage', () => {
    const { logger, lines } = recording();
    let now = 0;
    const outage = new DbOutage({ logger, who: '发件箱', baseMs: 50, maxMs: 10_000, clock: () => now });
    const bug = new Error("Unknown column 'transport' in 'where clause'");
    expect(outage.otherFailure(bug, 1000)).toBe(1000);
    for (let i = 0; i < 30; i++) {
      now += 1000;
      outage.otherFailure(bug, 1000);
    }
    expect(outage.down).toBe(false);
    expect(lines).toEqual(['发件箱处理出错（不是数据库中断），稍后再试']);
    now += 60_000;
    outage.otherFailure(bug, 1000);
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.includes('数据库不可用'))).toBe(false);
  });
});
