/** case_events.data read back: the JSON object an entry was logged with, or null when it has none (or it is not JSON). */
export function caseEventData(s: unknown): any {
  if (typeof s !== 'string') return null;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
