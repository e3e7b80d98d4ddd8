import { etagMatches, feedEtag } from '../../src/feeds/etag';

describe("a feed's ETag", () => {
  test('equal inputs give an equal quoted tag; any change gives another', () => {
    const a = feedEtag([3, 'public', { count: 10, maxUpdatedAt: '2026-10-09 01:00:00' }]);
    expect(a).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(feedEtag([3, 'public', { count: 10, maxUpdatedAt: '2026-10-09 01:00:00' }])).toBe(a);
    expect(feedEtag([3, 'public', { count: 11, maxUpdatedAt: '2026-10-09 01:00:00' }])).not.toBe(a);
    expect(feedEtag([4, 'public', { count: 10, maxUpdatedAt: '2026-10-09 01:00:00' }])).not.toBe(a);
  });

  test('If-None-Match matches the tag itself, a weak form of it, one of a list, or *', () => {
    const tag = '"abc"';
    expect(etagMatches('"abc"', tag)).toBe(true);
    expect(etagMatches('W/"abc"', tag)).toBe(true);
    expect(etagMatches('"x", "abc" , "y"', tag)).toBe(true);
    expect(etagMatches(' * ', tag)).toBe(true);
    expect(etagMatches('"abd"', tag)).toBe(false);
    expect(etagMatches('abc', tag)).toBe(false);
    expect(etagMatches(undefined, tag)).toBe(false);
    expect(etagMatches('', tag)).toBe(false);
  });
});
