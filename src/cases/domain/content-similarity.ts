/**
 * Repeat detection by content, for petitions without an ID number or phone to match (匿名,
 * 身份不明): the character bigrams of the two texts, normalized, compared by Jaccard's index.
 * Chinese has no spaces, so words are not split; two characters side by side carry most of a
 * phrase (道路, 积水, 排水沟 → 排水, 水沟). Pure.
 */

/** At or above this, two texts are taken as the same matter worth a look (tested on pairs). */
export const SIMILARITY_THRESHOLD = 0.25;

/** A text shorter than this (in characters, normalized) is not compared: too little to tell. */
export const MIN_COMPARABLE_CHARS = 6;

/** Letters and digits only, full-width folded, Latin lower-cased; every run of digits as one 0. */
export function normalizeForSimilarity(text: string): string {
  return String(text ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .replace(/\p{N}+/gu, '0');
}

/** The set of adjacent character pairs of the normalized text. */
export function bigrams(text: string): Set<string> {
  const chars = [...normalizeForSimilarity(text)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const g of small) if (large.has(g)) common++;
  return common / (a.size + b.size - common);
}

/** 0 (nothing in common) … 1 (the same text up to punctuation, spacing and numbers). */
export function contentSimilarity(a: string, b: string): number {
  if ([...normalizeForSimilarity(a)].length < MIN_COMPARABLE_CHARS || [...normalizeForSimilarity(b)].length < MIN_COMPARABLE_CHARS) return 0;
  return jaccard(bigrams(a), bigrams(b));
}

/**
 * The candidates whose content is at least `threshold` similar to `content`, most similar first
 * (ties: the order given), at most `limit`.
 */
export function similarByContent<T extends { content: string }>(
  content: string,
  candidates: readonly T[],
  opts: { threshold?: number; limit?: number } = {},
): Array<{ item: T; score: number }> {
  const threshold = opts.threshold ?? SIMILARITY_THRESHOLD;
  if ([...normalizeForSimilarity(content)].length < MIN_COMPARABLE_CHARS) return [];
  const mine = bigrams(content);
  const scored = candidates
    .map((item, i) => ({ item, i, score: [...normalizeForSimilarity(item.content)].length < MIN_COMPARABLE_CHARS ? 0 : jaccard(mine, bigrams(item.content)) }))
    .filter((s) => s.score >= threshold)
    .sort((x, y) => y.score - x.score || x.i - y.i);
  return scored.slice(0, opts.limit ?? 5).map(({ item, score }) => ({ item, score }));
}
