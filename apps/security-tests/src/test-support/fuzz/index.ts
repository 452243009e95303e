import { chartExpressionTargets } from './chart-expression-properties';
import { liveTargets } from './live-properties';
import { parserTargets } from './parser-properties';
import { ruleTargets } from './rule-properties';
import type { FuzzTarget } from './fuzz-target';

export type { FuzzResult, FuzzTarget } from './fuzz-target';
export { startFuzzSite, type FuzzSite } from './fuzz-site';

/** Every fuzzed property, pure ones first (the live ones share one site). */
export const FUZZ_TARGETS: readonly FuzzTarget[] = [...ruleTargets, ...parserTargets, ...chartExpressionTargets, ...liveTargets];
