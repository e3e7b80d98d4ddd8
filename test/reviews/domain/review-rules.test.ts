import { computeReviewFigures, fixDueDateError, parseSampleNo, REVIEW_STATUS_LABELS, sampleCancelRefusal } from '../../../src/reviews/domain/review-rules';

describe('评查 rules: the 整改 date, cancelling a sample, the figures', () => {
  test('a 整改 date may be today or later, never in the past, and the refusal reads in Chinese dates', () => {
    expect(fixDueDateError('2026-10-15', '2026-10-15')).toBeNull();
    expect(fixDueDateError('2026-12-31', '2026-10-15')).toBeNull();
    expect(fixDueDateError('2026-10-14', '2026-10-15')).toBe('整改期限 2026年10月14日（周三） 已经过去，不能早于今天（2026年10月15日（周四））');
  });

  test('a sample may be cancelled only while every review in it is pending; the refusal names the recorded ones', () => {
    const pending = [{ reviewNo: 'PC2026-0001', status: 'pending' as const }, { reviewNo: 'PC2026-0002', status: 'pending' as const }];
    expect(sampleCancelRefusal({ id: 4, cancelled: false }, pending)).toBeNull();
    expect(sampleCancelRefusal({ id: 4, cancelled: true }, pending)).toBe('抽样 4 已经撤销过了。');
    const why = sampleCancelRefusal({ id: 4, cancelled: false }, [...pending, { reviewNo: 'PC2026-0003', status: 'rectifying' }, { reviewNo: 'PC2026-0004', status: 'ok' }]);
    expect(why).toContain('抽样 4 中已有 2 件记录了评查结论：PC2026-0003（待整改）、PC2026-0004（规范）');
    const many = Array.from({ length: 7 }, (_, i) => ({ reviewNo: `PC2026-000${i + 1}`, status: 'fixed' as const }));
    expect(sampleCancelRefusal({ id: 1, cancelled: false }, many)).toContain('PC2026-0005（已整改） 等');
  });

  test('sample numbers as people type them', () => {
    expect(['3', '#3', '第3次', '抽样 3', '3号'].map(parseSampleNo)).toEqual([3, 3, 3, 3, 3]);
    expect(['', '0', '三', 'PC2026-0001', '-1'].map(parseSampleNo)).toEqual([null, null, null, null, null]);
  });

  test('cancelled reviews are neither reviewed nor problems in the figures', () => {
    expect(REVIEW_STATUS_LABELS.cancelled).toBe('已撤销');
    expect(computeReviewFigures([
      { status: 'cancelled', problems: [] },
      { status: 'pending', problems: [] },
      { status: 'ok', problems: [] },
      { status: 'fixed', problems: ['答复不规范', '超期办结'] },
      { status: 'rectifying', problems: ['材料不全'] },
    ])).toEqual({ reviewed: 3, withProblems: 2, problems: 3, fixed: 2 });
  });
});
