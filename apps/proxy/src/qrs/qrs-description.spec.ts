import { describe, expect, it } from 'vitest';
import { qrsDescription } from './qrs-description';
import { routeQrs } from './qrs-route-table';

const ID = '0f8a2b1c-1d2e-4f00-9abc-1234567890ab';
const TICKET = 'ab'.repeat(16);

/** A listed path with its placeholders filled, as a client would call it. */
function concrete(path: string): string {
  return path
    .split('?')[0]!
    .replace(/^\/qrs/, '')
    .replace(/\{(id|appId|token)\}/g, ID)
    .replace('{ticket}', TICKET)
    .replace('{fileName}', 'x.tzapp');
}

describe('GET /qrs/about/api/description', () => {
  it('lists only paths the route table serves, with their verbs', () => {
    const all = qrsDescription('');
    expect(all.length).toBeGreaterThan(50);
    for (const entry of all) {
      const [method, path] = entry.split(' ') as [string, string];
      expect(routeQrs(method, concrete(path)), entry).toMatchObject({ ok: true });
    }
  });

  it('filters by verb, case-insensitively', () => {
    const posts = qrsDescription('post');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.startsWith('POST '))).toBe(true);
    expect(posts).toEqual(qrsDescription('').filter((p) => p.startsWith('POST ')));
  });
});
