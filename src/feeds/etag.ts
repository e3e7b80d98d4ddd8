import { createHash } from 'node:crypto';

/**
 * A feed's ETag: a hash of everything its bytes depend on — the rendering's format version, which
 * feed, the version of its rows, the leaders and venues it names, the settings that change the
 * text. Equal inputs give an equal ETag, so a client's If-None-Match gets a 304 without rendering.
 */
export function feedEtag(parts: unknown[]): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);
  return `"${hash}"`;
}

/** If-None-Match: a list of (possibly weak) ETags, or “*”. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === bare);
}
