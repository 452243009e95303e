import { describe, expect, it, vi } from 'vitest';
import { handoverOnRotation } from './qix-handover-trigger';

const logger = { info: vi.fn() } as unknown as Parameters<typeof handoverOnRotation>[2]['logger'];

function source(cert: string) {
  const listeners = new Set<() => void>();
  const material = { ca: 'ca', cert, key: 'k', crl: 'crl-1' };
  return {
    material,
    current: () => ({ ...material }),
    onChange: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
    emit: () => listeners.forEach((l) => l()),
  };
}

describe('handoverOnRotation (which material changes move QIX sessions)', () => {
  it('moves every live session, spread over the window, only when the proxy\'s own certificate changed', async () => {
    vi.useFakeTimers();
    try {
      const tls = source('cert-1');
      const moved: number[] = [];
      const live = [0, 1, 2, 3].map((i) => ({ handover: () => moved.push(i) }));
      const stop = handoverOnRotation(tls, live, { logger }, 4_000);
      // A new CRL or CA bundle is not a rotation of this proxy: nothing moves.
      tls.material.crl = 'crl-2';
      tls.emit();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(moved).toEqual([]);
      tls.material.cert = 'cert-2';
      tls.emit();
      await vi.advanceTimersByTimeAsync(0);
      expect(moved).toEqual([0]);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(moved).toEqual([0, 1, 2]);
      await vi.advanceTimersByTimeAsync(2_000);
      expect(moved).toEqual([0, 1, 2, 3]);
      // Stopped (the relay closed): a later rotation moves nothing, pending moves are cancelled.
      tls.material.cert = 'cert-3';
      tls.emit();
      stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(moved).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
