import type { EvalScope } from '../compile/eval-scope';
import type { CompiledRule } from './compiled-rule';

interface GuardGroup {
  /** User-side groups select the same rules for every resource of a request. */
  readonly userSide: boolean;
  readonly get: (s: EvalScope) => unknown;
  /** Every position guarded through this path (all become candidates if the value is unreadable). */
  readonly positions: readonly number[];
  /** Lower-cased literal → positions of rules that need that value. */
  readonly buckets: ReadonlyMap<string, readonly number[]>;
}

/**
 * The candidate rules of one (type, action, context), plus a discriminator index: each rule with
 * a `<path> = "literal"` conjunct (`resource.@Dept = "Sales"`, `user.group = "Sales"`) is filed
 * under its most selective such literal, so for a request only the rules whose literal appears
 * among the resource's or user's values are evaluated (the others have a false conjunct — see
 * rule-plan.ts). Same comparison as the condition itself: case-insensitive equality with any
 * value; an unreadable value disables the shortcut for that path.
 */
export class CandidateSet {
  /** Positions of rules without a literal guard: always evaluated. */
  readonly unguarded: readonly number[];
  private readonly userGroups: readonly GuardGroup[];
  private readonly resourceGroups: readonly GuardGroup[];

  constructor(readonly rules: readonly CompiledRule[]) {
    const counts = new Map<string, number>();
    const keyOf = (pathKey: string, literal: string) => `${pathKey}\u0000${literal}`;
    for (const rule of rules) {
      for (const g of rule.plan?.valueGuards ?? []) counts.set(keyOf(g.pathKey, g.literalLower), (counts.get(keyOf(g.pathKey, g.literalLower)) ?? 0) + 1);
    }
    const groups = new Map<string, { userSide: boolean; get: GuardGroup['get']; positions: number[]; buckets: Map<string, number[]> }>();
    const unguarded: number[] = [];
    rules.forEach((rule, position) => {
      const guards = rule.plan?.valueGuards ?? [];
      if (guards.length === 0) {
        unguarded.push(position);
        return;
      }
      const best = guards.reduce((a, b) => ((counts.get(keyOf(b.pathKey, b.literalLower)) ?? 0) < (counts.get(keyOf(a.pathKey, a.literalLower)) ?? 0) ? b : a));
      const group = groups.get(best.pathKey) ?? { userSide: best.pathKey.startsWith('user'), get: best.get, positions: [], buckets: new Map<string, number[]>() };
      groups.set(best.pathKey, group);
      group.positions.push(position);
      const bucket = group.buckets.get(best.literalLower) ?? [];
      bucket.push(position);
      group.buckets.set(best.literalLower, bucket);
    });
    this.unguarded = unguarded;
    this.userGroups = [...groups.values()].filter((g) => g.userSide);
    this.resourceGroups = [...groups.values()].filter((g) => !g.userSide);
  }

  get hasUserGroups(): boolean {
    return this.userGroups.length > 0;
  }

  /** Positions selected by the user's values: constant for a request (the session caches it). */
  selectedByUser(scope: EvalScope): readonly number[] | undefined {
    return select(this.userGroups, scope);
  }

  /** Positions selected by the resource's values. */
  selectedByResource(scope: EvalScope): readonly number[] | undefined {
    return select(this.resourceGroups, scope);
  }
}

/**
 * Guarded positions worth evaluating (besides `unguarded`), or undefined. Buckets are disjoint
 * and values are de-duplicated, so a position appears at most once.
 */
function select(groups: readonly GuardGroup[], scope: EvalScope): number[] | undefined {
  let extra: number[] | undefined;
  for (const group of groups) {
    let raw: unknown;
    try {
      raw = group.get(scope);
    } catch {
      raw = MALFORMED;
    }
    if (raw === null || raw === undefined) continue;
    if (typeof raw === 'string') {
      extra = add(extra, group.buckets.get(raw.toLowerCase()));
    } else {
      const selected = Array.isArray(raw) ? selectValues(raw, group.buckets, extra) : UNREADABLE;
      // Unreadable: let every guarded rule run and report the problem itself.
      extra = selected === UNREADABLE ? add(extra, group.positions) : selected;
    }
  }
  return extra;
}

/** Adds the bucket of each distinct (case-insensitively) value; UNREADABLE if a value is not a string. */
function selectValues(values: readonly unknown[], buckets: ReadonlyMap<string, readonly number[]>, into: number[] | undefined): number[] | undefined | typeof UNREADABLE {
  for (const value of values) if (typeof value !== 'string') return UNREADABLE;
  // Few values (the usual case): a linear scan beats building a Set.
  const seen: { has(v: string): boolean; add(v: string): unknown } = values.length > 16 ? new Set<string>() : new SmallSet();
  for (const value of values as readonly string[]) {
    const lower = value.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    into = add(into, buckets.get(lower));
  }
  return into;
}

class SmallSet {
  private readonly items: string[] = [];
  has(value: string): boolean {
    return this.items.includes(value);
  }
  add(value: string): void {
    this.items.push(value);
  }
}

const MALFORMED = Symbol('malformed');
const UNREADABLE = Symbol('unreadable');

function add(into: number[] | undefined, positions: readonly number[] | undefined): number[] | undefined {
  if (positions === undefined) return into;
  if (into === undefined) return positions.slice();
  for (let i = 0; i < positions.length; i++) into.push(positions[i] as number);
  return into;
}
