import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_TARGETS, startFuzzSite, type FuzzSite, type FuzzTarget } from '../test-support/fuzz';
import { STRIDE_CATEGORIES } from '../test-support/stride';

// The fuzzed properties, bounded and seeded so `npm test` is repeatable: a failure names the seed
// and the counterexample (rerun it, or search further with `npm run fuzz -- --minutes N`).
const SEED = 20_261_127;
let site: FuzzSite | null = null;

beforeAll(async () => {
  site = await startFuzzSite();
}, 120_000);

afterAll(async () => {
  await site?.close();
});

function register(t: FuzzTarget): void {
  it(`${t.name}: ${t.claim}`, async () => {
    const r = await t.check(SEED, t.testRuns, t.live ? site : null);
    expect(r.failed, `seed ${r.seed}: ${r.error ?? ''}\ncounterexample: ${r.counterexample ?? ''}`).toBe(false);
    expect(r.runs).toBe(t.testRuns);
  }, 120_000);
}

for (const category of STRIDE_CATEGORIES) {
  const targets = FUZZ_TARGETS.filter((t) => t.stride === category);
  if (targets.length > 0) describe(`${category} › fuzz`, () => targets.forEach(register));
}
