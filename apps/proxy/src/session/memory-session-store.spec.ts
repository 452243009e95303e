import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-session-store';
import { alice, policy, recordEnded, sessionStoreContract } from './session-store.contract';

describe('MemorySessionStore', () => {
  sessionStoreContract(async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
    return { store, advance: (ms) => (now += ms), cleanup: () => store.close() };
  });

  it('sweeps on its own timer so idle sessions end without a request', async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ now: () => now, sweepIntervalMs: 10 });
    try {
      const ended = recordEnded(store);
      const r = await store.create(alice(), policy());
      now += 31 * 60_000;
      const events = await ended.waitFor(1);
      expect(events).toEqual([[r.kind === 'created' ? r.session.id : '', 'timeout']]);
      expect(store.size).toBe(0);
    } finally {
      await store.close();
    }
  });
});
