import fc from 'fast-check';
import type { StrideCategory } from '../stride';
import type { FuzzSite } from './fuzz-site';

/**
 * A fuzzed property: the same definition runs a few seeded cases inside `npm test` and, through
 * `npm run fuzz`, many more with growing seeds. `live` properties need a running site.
 */
export interface FuzzTarget {
  name: string;
  stride: StrideCategory;
  /** The claim, in one sentence (shown by the fuzz tool and in the threat model). */
  claim: string;
  /** Runs per check inside `npm test`. */
  testRuns: number;
  live: boolean;
  check(seed: number, numRuns: number, site: FuzzSite | null): Promise<FuzzResult>;
}

export interface FuzzResult {
  failed: boolean;
  runs: number;
  seed: number;
  counterexample?: string;
  error?: string;
}

export function toResult<Ts>(d: fc.RunDetails<Ts>): FuzzResult {
  return {
    failed: d.failed,
    runs: d.numRuns,
    seed: d.seed,
    ...(d.failed ? { counterexample: fc.stringify(d.counterexample).slice(0, 4000), error: String(d.errorInstance ?? '').slice(0, 2000) } : {}),
  };
}

/** Wall time of `fn` in ms; a property uses it to bound the cost of one call. */
export function timed<T>(fn: () => T): { value: T | undefined; error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    const value = fn();
    return { value, error: undefined, ms: performance.now() - t0 };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - t0 };
  }
}

/** Text made of a vocabulary's tokens (and some noise), so random input reaches deep into a grammar. */
export function tokenSoup(tokens: readonly string[], maxTokens = 40): fc.Arbitrary<string> {
  const token = fc.oneof({ arbitrary: fc.constantFrom(...tokens), weight: 8 }, { arbitrary: fc.string({ maxLength: 4 }), weight: 1 });
  return fc.array(token, { maxLength: maxTokens }).chain((ts) => fc.constantFrom(' ', '', '\n').map((sep) => ts.join(sep)));
}

/** A valid text with random edits (insertions, deletions, duplications) — near-misses of the grammar. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 })), { maxLength: 4 })).map(([text, edits]) => {
    let t = text;
    for (const [at, kind, s] of edits) {
      const i = t.length === 0 ? 0 : at % t.length;
      if (kind === 0) t = t.slice(0, i) + s + t.slice(i);
      else if (kind === 1) t = t.slice(0, i) + t.slice(i + 1);
      else if (kind === 2) t = t.slice(0, i) + t.slice(i, i + 8).repeat(3) + t.slice(i + 8);
      else t = t.slice(0, i);
    }
    return t;
  });
}
