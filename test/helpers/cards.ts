/** Reading a card as a person would: its header, its elements, its buttons. */

export const cardHeader = (c: Record<string, unknown>) =>
  c.header as { title: { content: string }; subtitle?: { content: string }; template: string };

/** Every element of the card (anything with a tag), depth first. */
export function elementsOf(v: unknown, out: any[] = []): any[] {
  if (Array.isArray(v)) v.forEach((x) => elementsOf(x, out));
  else if (v && typeof v === 'object') {
    if ('tag' in v) out.push(v);
    Object.values(v).forEach((x) => elementsOf(x, out));
  }
  return out;
}
