import { describe, expect, it } from 'vitest';
import { findLeaks } from './leak-probe';

// The scanner behind the section-access leak specs: a miss here is a leak those specs cannot see, a
// false hit a red run for nothing (a qGenericId '5e2f…' was once read as 500).
const forbidden = { texts: ['EAST'], numbers: [500, 12.5] };

describe('findLeaks (the leak specs\' scanner)', () => {
  it('finds a forbidden number wherever it stands on its own, in any JSON or text position', () => {
    for (const frame of ['{"qNum":500}', '{"qText":"500"}', '[12.5,1]', '{"qNum":5e2}', '{"qText":"total 500 kr"}', '{"qNum":500.0}', '{"qText":"EAST"}']) {
      expect(findLeaks([frame], forbidden), frame).not.toEqual([]);
    }
  });

  it('does not read digits inside a GUID, a longer number or a word as a forbidden number', () => {
    for (const frame of ['{"qId":"5e2fa1b3-0c4d-4e5f-8a9b-0c1d2e3f4a5b"}', '{"qNum":5001}', '{"qNum":1500}', '{"qNum":12.55}', '{"qText":"v500"}', '{"qNum":500.5}']) {
      expect(findLeaks([frame], forbidden), frame).toEqual([]);
    }
  });
});
