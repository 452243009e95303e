import type { CompiledCondition, CompiledNode, Test, ValueGuard } from '../compile/compiled-node';
import { kleeneAnd } from '../compile/kleene';

/**
 * Shortcuts derived from a rule's top-level conjunction (`a and b and …`). A rule is false as soon
 * as one conjunct is false, whatever the others would do — even if another would error (Kleene
 * AND, see kleene.ts: false ∧ unknown = false). That is what lets the engine skip a rule without
 * evaluating it:
 *  - user-only conjuncts are constant for a request: evaluated once per request, not per resource;
 *  - `<path> = "literal"` conjuncts (resource or user side) let the index look the values up
 *    instead of testing each rule (candidate-set.ts).
 * Rules with static diagnostics get no plan: they must report their error on every evaluation.
 */
export interface RulePlan {
  /** AND of the user-only conjuncts, or null when there are none. */
  readonly userGuard: Test | null;
  /** AND of the other conjuncts in source order; equals the condition once userGuard held. */
  readonly residual: Test;
  readonly valueGuards: readonly ValueGuard[];
}

const TRUE: Test = () => true;

export function planRule(condition: CompiledCondition): RulePlan | null {
  const root = condition.root;
  if (root === null || condition.diagnostics.length > 0) return null;
  const conjuncts = flatten(root);
  const user = conjuncts.filter((c) => c.userOnly);
  const rest = conjuncts.filter((c) => !c.userOnly);
  const valueGuards = conjuncts.flatMap((c) => (c.guard ? [c.guard] : []));
  if (user.length === 0 && valueGuards.length === 0) return null;
  return { userGuard: user.length === 0 ? null : allOf(user.map((c) => c.test)), residual: allOf(rest.map((c) => c.test)), valueGuards };
}

function flatten(node: CompiledNode): CompiledNode[] {
  return node.expr.kind === 'and' ? node.children.flatMap(flatten) : [node];
}

function allOf(tests: readonly Test[]): Test {
  if (tests.length === 0) return TRUE;
  if (tests.length === 1) return tests[0] as Test;
  return kleeneAnd(tests);
}
