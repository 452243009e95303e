import { describe, expect, it } from 'vitest';
import type { AttackSite } from './attack-site';
import { scanForLeaks } from './leak-scan';

/**
 * Registers, as the last test of an attack file, a scan of every HTTP response body that file's
 * attacks received (plus any extra texts, e.g. websocket frames): no stack trace, no internal path,
 * no driver error text, whatever the attacks sent. vitest runs a file's tests in order, so this
 * sees everything recorded before it.
 */
export function describeResponseScan(get: () => AttackSite | undefined, extra: () => { where: string; text: string }[] = () => []): void {
  describe('Information disclosure', () => {
    it('no response to any attack of this file carries a stack trace, an internal path or a driver error', () => {
      const a = get();
      if (!a) throw new Error('the site never started');
      const texts = [...a.responses.map((r) => ({ where: `${r.what} → ${r.status}`, text: r.body })), ...extra()];
      // The scan must have material to work on, or it would pass vacuously.
      expect(a.responses.length).toBeGreaterThan(5);
      const leaks = scanForLeaks(texts, [a.site.dataDir]);
      expect(leaks, JSON.stringify(leaks, null, 1).slice(0, 3000)).toEqual([]);
    });
  });
}
