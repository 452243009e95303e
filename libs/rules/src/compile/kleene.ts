import type { Test } from './compiled-node';

/**
 * Three-valued (Kleene) connectives: an evaluation error (a thrown RulesError) is "unknown".
 * `and` is false as soon as any operand is false, `or` true as soon as any operand is true, even if
 * another operand errored; otherwise the first error propagates. `!unknown` stays unknown, and a
 * rule grants only when its condition is definitely true — so an error never grants, and a true
 * branch is not lost because a sibling failed (which keeps "adding a rule never removes access").
 */
export function kleeneAnd(tests: readonly Test[]): Test {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (s) => {
      let left: boolean;
      try {
        left = a(s);
      } catch (error) {
        if (b(s) === false) return false;
        throw error;
      }
      return left && b(s);
    };
  }
  return (s) => {
    let failure: unknown;
    let failed = false;
    for (const test of tests) {
      try {
        if (!test(s)) return false;
      } catch (error) {
        if (!failed) [failure, failed] = [error, true];
      }
    }
    if (failed) throw failure;
    return true;
  };
}

export function kleeneOr(tests: readonly Test[]): Test {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return (s) => {
      try {
        if (a(s)) return true;
      } catch (error) {
        if (b(s)) return true;
        throw error;
      }
      return b(s);
    };
  }
  return (s) => {
    let failure: unknown;
    let failed = false;
    for (const test of tests) {
      try {
        if (test(s)) return true;
      } catch (error) {
        if (!failed) [failure, failed] = [error, true];
      }
    }
    if (failed) throw failure;
    return false;
  };
}
