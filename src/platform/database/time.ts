/** Instants go to the database as UTC 'YYYY-MM-DD HH:MM:SS.mmm' strings, the same on both dialects. */
export function toDbTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export function fromDbTime(s: string | Date | null | undefined): Date | null {
  if (s === null || s === undefined) return null;
  if (s instanceof Date) return s;
  return new Date(`${s.replace(' ', 'T')}Z`);
}
