/** What a field parser returns: the clean value with how it reads back, or the reason in Chinese. */
export type Parsed<T> = { ok: true; value: T; display: string } | { ok: false; reason: string };

export const ok = <T>(value: T, display = String(value)): Parsed<T> => ({ ok: true, value, display });
export const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Characters as a person counts them (an emoji or a rare 𠮷 is one). */
export function charCount(s: string): number {
  return [...s].length;
}
