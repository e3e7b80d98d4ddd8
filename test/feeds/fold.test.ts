import fc from 'fast-check';
import { foldLines as libraryFold } from 'ical-generator';
import { foldLines } from '../../src/feeds/fold';

describe('foldLines', () => {
  test('gives exactly the output of ical-generator’s own folding, for any text', () => {
    const line = fc.array(
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom('县群众来访接待中心', '😀', '\ud800', '\udc00x', 'é', ';,\\n'),
      ),
      { maxLength: 12 },
    ).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), (lines) => {
        const text = lines.map((l) => l.replace(/\r\n/g, '')).join('\r\n');
        expect(foldLines(text)).toBe(libraryFold(text));
      }),
      { numRuns: 500 },
    );
  });

  test('keeps every line within 75 octets and never splits a character', () => {
    const long = `DESCRIPTION:${'接访领导：县委副书记、副县长；'.repeat(20)}😀${'a'.repeat(100)}`;
    const folded = foldLines(long);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    expect(folded).not.toContain('\ufffd');
  });
});
