import { allocate, drawSample, parseSampleSize, SampleCandidate, sizeFromShare } from '../../../src/reviews/domain/review-sampling';

function candidates(spec: Record<string, number>): SampleCandidate[] {
  const out: SampleCandidate[] = [];
  let id = 1;
  for (const [unit, n] of Object.entries(spec)) for (let i = 0; i < n; i++, id++) out.push({ caseId: id, caseNo: `2026-${String(id).padStart(6, '0')}`, unit });
  return out;
}

test('each unit gets its share, at least one where it has cases, never more than it has', () => {
  const sizes = [{ unit: '甲', available: 60 }, { unit: '乙', available: 30 }, { unit: '丙', available: 9 }, { unit: '丁', available: 1 }];
  const a = allocate(sizes, 20);
  expect(a.map((x) => x.drawn)).toEqual([12, 6, 1, 1]);
  expect(a.reduce((s, x) => s + x.drawn, 0)).toBe(20);
  expect(allocate([{ unit: '甲', available: 2 }, { unit: '乙', available: 10 }], 11).map((x) => x.drawn)).toEqual([2, 9]);
});

test('the same candidates, size and seed draw the same cases; another seed may draw others', () => {
  const pool = candidates({ 县自然资源局: 40, 县教育局: 25, 阳城镇人民政府: 5 });
  const a = drawSample(pool, 14, 'seed-1');
  expect(drawSample([...pool].reverse(), 14, 'seed-1').picked).toEqual(a.picked);
  expect(a.picked).toHaveLength(14);
  expect(new Set(a.picked.map((p) => p.caseNo)).size).toBe(14);
  expect(a.byUnit.map((u) => [u.unit, u.drawn])).toEqual([['县教育局', 5], ['县自然资源局', 8], ['阳城镇人民政府', 1]]);
  const others = ['seed-2', 'seed-3', 'seed-4'].map((s) => drawSample(pool, 14, s).picked.map((p) => p.caseNo).join());
  expect(others.some((o) => o !== a.picked.map((p) => p.caseNo).join())).toBe(true);
});

test('a sample smaller than the number of units is raised so every unit has one, and says so', () => {
  const plan = drawSample(candidates({ 甲: 5, 乙: 5, 丙: 5 }), 2, 'x');
  expect(plan.picked).toHaveLength(3);
  expect(plan.raisedTo).toBe(3);
});

test('sizes are read as counts or shares', () => {
  expect(parseSampleSize('30')).toEqual({ count: 30 });
  expect(parseSampleSize('30件')).toEqual({ count: 30 });
  expect(parseSampleSize('10%')).toEqual({ share: 0.1 });
  expect(parseSampleSize('0.25')).toEqual({ share: 0.25 });
  for (const s of ['0', '0%', '120%', '几件', '-3']) expect(parseSampleSize(s)).toBeNull();
  expect(sizeFromShare(0.1, 336)).toBe(34);
  expect(sizeFromShare(0.01, 20)).toBe(1);
});
