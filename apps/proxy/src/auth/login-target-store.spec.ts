import { describe, expect, it } from 'vitest';
import { LoginTargetStore } from './login-target-store';

describe('LoginTargetStore', () => {
  it('a target is taken once, only on its own virtual proxy, and not after its TTL', () => {
    let t = 0;
    const ttlMs = 1_000;
    const s = new LoginTargetStore({ ttlMs, maxEntries: 10, now: () => t });
    const uri = 'https://proxy.test/hub/x';
    const id = s.add('', uri);
    expect(s.take('', id)).toBe(uri);
    expect(s.take('', id)).toBeNull();
    const other = s.add('a', uri);
    expect(s.take('', other)).toBeNull();
    expect(s.take('a', other)).toBeNull(); // a wrong-proxy attempt used it up
    const late = s.add('', uri);
    t += ttlMs;
    expect(s.take('', late)).toBeNull();
  });

  it('is bounded: expired targets go first, then the oldest', () => {
    let t = 0;
    const max = 3;
    const s = new LoginTargetStore({ ttlMs: 100, maxEntries: max, now: () => t });
    const ids = Array.from({ length: max }, (_, i) => s.add('', `https://p.test/${i}`));
    const newest = s.add('', 'https://p.test/new');
    expect(s.size).toBe(max);
    expect(s.take('', ids[0]!)).toBeNull();
    expect(s.take('', newest)).toBe('https://p.test/new');
    t += 100;
    s.add('', 'https://p.test/after');
    expect(s.size).toBe(1);
  });
});
