/** Ids per IN (…) list: well under the bound-parameter limits of SQLite and MySQL. */
export const IN_LIST_MAX = 500;

/** Splits a list into parts of at most `size`, for `whereIn` reads. */
export function chunks<T>(list: readonly T[], size = IN_LIST_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
