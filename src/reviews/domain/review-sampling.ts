/** One concluded case that may be drawn, and the unit (承办单位) it is counted under. */
export interface SampleCandidate {
  caseId: number;
  caseNo: string;
  unit: string;
}

export interface SampleAllocation {
  unit: string;
  /** Concluded cases of this unit that could be drawn. */
  available: number;
  drawn: number;
}

export interface SamplePlan {
  picked: SampleCandidate[];
  byUnit: SampleAllocation[];
  /** More than asked for: every unit with cases gets at least one. */
  raisedTo: number | null;
}

/** A 32-bit hash of a string (xmur3), to seed the generator. */
function hash(s: string): number {
  let h = 1779033703 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

/** mulberry32: a small, fast generator, the same numbers for the same seed on every machine. */
function generator(seed: string): () => number {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The size a share asks for: rounded, at least one when there are cases. */
export function sizeFromShare(share: number, population: number): number {
  if (population === 0) return 0;
  return Math.max(1, Math.round(share * population));
}

/**
 * How many each unit gets: proportional to its cases (largest remainder), at least one for
 * every unit that has cases, never more than it has. `n` is at least the number of units.
 */
export function allocate(sizes: Array<{ unit: string; available: number }>, n: number): SampleAllocation[] {
  const total = sizes.reduce((s, u) => s + u.available, 0);
  const quota = sizes.map((u) => (n * u.available) / total);
  const drawn = sizes.map((u, i) => Math.min(u.available, Math.max(1, Math.floor(quota[i]))));
  const order = (score: (i: number) => number) =>
    sizes.map((_, i) => i).sort((a, b) => score(b) - score(a) || sizes[a].unit.localeCompare(sizes[b].unit, 'zh-CN'));
  let sum = drawn.reduce((s, d) => s + d, 0);
  while (sum > n) {
    const i = order((k) => drawn[k] - quota[k]).find((k) => drawn[k] > 1);
    if (i === undefined) break;
    drawn[i]--;
    sum--;
  }
  while (sum < n) {
    const i = order((k) => quota[k] - drawn[k]).find((k) => drawn[k] < sizes[k].available);
    if (i === undefined) break;
    drawn[i]++;
    sum++;
  }
  return sizes.map((u, i) => ({ unit: u.unit, available: u.available, drawn: drawn[i] }));
}

/**
 * Draws `n` cases stratified by unit, the same draw for the same candidates, size and seed.
 * Within a unit the cases are shuffled by a generator seeded with the seed and the unit's name,
 * so adding a unit elsewhere does not change another unit's picks. The caller checks n ≤ candidates.
 */
export function drawSample(candidates: SampleCandidate[], n: number, seed: string): SamplePlan {
  const groups = new Map<string, SampleCandidate[]>();
  for (const c of [...candidates].sort((a, b) => a.caseNo.localeCompare(b.caseNo))) {
    const list = groups.get(c.unit) ?? [];
    list.push(c);
    groups.set(c.unit, list);
  }
  const units = [...groups.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  const size = Math.max(n, units.length);
  const byUnit = allocate(units.map((unit) => ({ unit, available: groups.get(unit)!.length })), size);
  const picked: SampleCandidate[] = [];
  for (const a of byUnit) {
    const list = [...groups.get(a.unit)!];
    const rnd = generator(`${seed}|${a.unit}`);
    for (let i = 0; i < a.drawn; i++) {
      const j = i + Math.floor(rnd() * (list.length - i));
      [list[i], list[j]] = [list[j], list[i]];
    }
    picked.push(...list.slice(0, a.drawn));
  }
  picked.sort((a, b) => a.caseNo.localeCompare(b.caseNo));
  return { picked, byUnit, raisedTo: size > n ? size : null };
}

/** Reads the size asked for: a count (30, 30件) or a share (10%, 0.1, 一成 is not read). */
export function parseSampleSize(input: string): { count: number } | { share: number } | null {
  const t = input.trim().replace(/\s+/g, '');
  let m = /^(\d+)件?$/.exec(t);
  if (m) return Number(m[1]) > 0 ? { count: Number(m[1]) } : null;
  m = /^(\d+(?:\.\d+)?)[%％]$/.exec(t);
  if (m) return Number(m[1]) > 0 && Number(m[1]) <= 100 ? { share: Number(m[1]) / 100 } : null;
  m = /^(0?\.\d+|1(?:\.0+)?)$/.exec(t);
  if (m) return Number(m[1]) > 0 ? { share: Number(m[1]) } : null;
  return null;
}
