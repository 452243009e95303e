/**
 * Long fuzzing runs of the security properties (`npm run fuzz -- --minutes 10`). The same properties
 * run a few seeded cases in `npm test` (apps/security-tests/src/fuzz/fuzz.spec.ts); here they loop
 * with growing seeds and more cases each until the time is up. Live properties (QIX frames, HTTP
 * requests, the section-access leak invariant) run against one real site started for the run.
 *
 *   --minutes N     how long to run (default 1; fractions allowed)
 *   --only a,b      only these targets (names as printed)
 *   --seed S        first seed (default: from the clock; printed so a run can be repeated)
 *   --scale K       cases per check = K × the test-suite count (default 4)
 *
 * Exit status 1 when any property failed; each failure prints its seed and counterexample.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { FUZZ_TARGETS, startFuzzSite, type FuzzResult, type FuzzSite, type FuzzTarget } from '../apps/security-tests/src/test-support/fuzz';

interface Options {
  minutes: number;
  only: string[] | null;
  seed: number;
  scale: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { minutes: 1, only: null, seed: Date.now() % 1_000_000_007, scale: 4 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const num = (name: string) => {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
      i++;
      return n;
    };
    if (flag === '--minutes') o.minutes = num('--minutes');
    else if (flag === '--seed') o.seed = Math.floor(num('--seed'));
    else if (flag === '--scale') o.scale = Math.max(1, Math.floor(num('--scale')));
    else if (flag === '--only') {
      o.only = (value ?? '').split(',').filter((s) => s !== '');
      i++;
    } else throw new Error(`unknown argument ${flag} (use --minutes N, --only a,b, --seed S, --scale K)`);
  }
  return o;
}

interface Tally {
  checks: number;
  runs: number;
  failures: FuzzResult[];
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const targets = FUZZ_TARGETS.filter((t) => o.only === null || o.only.includes(t.name));
  if (targets.length === 0) throw new Error(`no target matches; targets: ${FUZZ_TARGETS.map((t) => t.name).join(', ')}`);
  const deadline = Date.now() + o.minutes * 60_000;
  console.log(`fuzzing ${targets.length} properties for ${o.minutes} min, first seed ${o.seed}, ${o.scale}× the test-suite cases per check`);

  let site: FuzzSite | null = null;
  if (targets.some((t) => t.live)) {
    // The live site runs the bundled services, as `npm test` does after its global setup.
    execFileSync(process.execPath, [resolve(__dirname, 'build.mjs'), '--quiet'], { stdio: 'inherit' });
    site = await startFuzzSite();
    console.log(`site up at ${site.a.site.url}`);
  }
  const tally = new Map<FuzzTarget, Tally>(targets.map((t) => [t, { checks: 0, runs: 0, failures: [] }]));
  try {
    for (let round = 0; Date.now() < deadline; round++) {
      for (const [i, t] of targets.entries()) {
        if (Date.now() >= deadline) break;
        const row = tally.get(t) as Tally;
        if (row.failures.length > 0) continue; // one counterexample per property is enough to act on
        const seed = o.seed + round * 7919 + i;
        const r = await t.check(seed, t.testRuns * o.scale, t.live ? site : null).catch((e: unknown): FuzzResult => ({ failed: true, runs: 0, seed, error: e instanceof Error ? e.stack ?? e.message : String(e) }));
        row.checks++;
        row.runs += r.runs;
        if (r.failed) {
          row.failures.push(r);
          console.log(`\nFAILED ${t.name} (seed ${r.seed}): ${t.claim}\n  error: ${r.error ?? ''}\n  counterexample: ${r.counterexample ?? ''}\n`);
        }
      }
    }
  } finally {
    await site?.close();
  }
  console.log('\nproperty                  checks      runs  failures');
  for (const [t, r] of tally) console.log(`${t.name.padEnd(24)} ${String(r.checks).padStart(7)} ${String(r.runs).padStart(9)} ${String(r.failures.length).padStart(9)}`);
  const failed = [...tally.values()].reduce((n, r) => n + r.failures.length, 0);
  console.log(failed === 0 ? '\nno property failed' : `\n${failed} propert${failed === 1 ? 'y' : 'ies'} failed (counterexamples above)`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  },
);
