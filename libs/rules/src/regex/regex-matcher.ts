import { PikeVm } from './pike-vm';
import { compileProgram } from './regex-program';
import { parseRegex } from './regex-parser';

/** A compiled `matches` pattern: case-insensitive, anchored at both ends, linear time. */
export interface RegexMatcher {
  readonly source: string;
  test(input: string): boolean;
}

/** Throws RulesError(UNSUPPORTED_REGEX) for a pattern outside the subset (see regex-parser.ts). */
export function compileRegex(pattern: string): RegexMatcher {
  const vm = new PikeVm(compileProgram(parseRegex(pattern)));
  return { source: pattern, test: (input) => vm.fullMatch(input) };
}
