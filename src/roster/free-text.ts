/** Free text as stored: trimmed, cut to `max` characters, null when empty. */
export function clip(s: string | null | undefined, max: number): string | null {
  const t = (s ?? '').trim();
  return t ? t.slice(0, max) : null;
}
