import { actionIndex } from '../model/action-bits';
import { entryMatchesType } from '../resource-filter/resource-filter';
import { CandidateSet } from './candidate-set';
import type { CompiledRule } from './compiled-rule';

const ACTION_COUNT = 13;
/** Resource types come from the repository, but bound the cache anyway. */
const MAX_CACHED_TYPES = 1_024;
const EMPTY = new CandidateSet([]);

/**
 * Candidate rules per (resource type, action bit, context), computed once per combination and then
 * reused, so a request touches only rules that could grant it. Id-specific filter entries
 * (`Stream_<guid>`) live in a map and are merged in only for that resource (merged sets are cached
 * too: their keys come from the rule table, so the cache is bounded by it).
 * Candidates are ordered cheap-first: whole rules are independent, so order cannot change the
 * union; it only makes the first grant arrive sooner.
 */
export class RuleIndex {
  private readonly typeRules: readonly CompiledRule[];
  /** type → id → rules with that `Type_<id>` entry, and their merged candidate sets per slot. */
  private readonly byId = new Map<string, Map<string, IdEntry>>();
  private readonly slots = new Map<string, (CandidateSet | undefined)[]>();

  constructor(rules: readonly CompiledRule[]) {
    const sorted = [...rules].sort(byCost);
    this.typeRules = sorted.filter((rule) => rule.filter.some((entry) => entry.kind !== 'id'));
    for (const rule of sorted) {
      for (const entry of rule.filter) {
        if (entry.kind !== 'id') continue;
        const ids = this.byId.get(entry.type) ?? new Map<string, IdEntry>();
        this.byId.set(entry.type, ids);
        const found = ids.get(entry.id) ?? { rules: [], merged: new Array<CandidateSet | undefined>(ACTION_COUNT * 2) };
        ids.set(entry.id, found);
        if (!found.rules.includes(rule)) found.rules.push(rule);
      }
    }
  }

  /** `lowerType` must be lower-cased; `contextBit` is CONTEXT_BIT.hub or .management. */
  candidates(lowerType: string, resourceId: string, bit: number, contextBit: number): CandidateSet {
    const slotIndex = (contextBit - 1) * ACTION_COUNT + actionIndex(bit);
    let slot = this.slots.get(lowerType);
    if (slot === undefined && this.slots.size < MAX_CACHED_TYPES) {
      slot = new Array<CandidateSet | undefined>(ACTION_COUNT * 2);
      this.slots.set(lowerType, slot);
    }
    let set = slot?.[slotIndex];
    if (set === undefined) {
      const list = this.typeRules.filter((r) => applies(r, bit, contextBit) && r.filter.some((e) => entryMatchesType(e, lowerType)));
      set = list.length === 0 ? EMPTY : new CandidateSet(list);
      if (slot !== undefined) slot[slotIndex] = set;
    }
    const ids = this.byId.get(lowerType);
    if (ids === undefined) return set;
    const specific = ids.get(resourceId.toLowerCase());
    if (specific === undefined) return set;
    let merged = specific.merged[slotIndex];
    if (merged === undefined) {
      const base = set.rules;
      const extra = specific.rules.filter((r) => applies(r, bit, contextBit) && !base.includes(r));
      merged = extra.length === 0 ? set : new CandidateSet([...base, ...extra].sort(byCost));
      specific.merged[slotIndex] = merged;
    }
    return merged;
  }
}

function applies(rule: CompiledRule, bit: number, contextBit: number): boolean {
  return (rule.actions & bit) !== 0 && (rule.contexts & contextBit) !== 0;
}

interface IdEntry {
  readonly rules: CompiledRule[];
  /** Cached union with the type-level candidates, per slot; bounded by the rule table. */
  readonly merged: (CandidateSet | undefined)[];
}

function byCost(a: CompiledRule, b: CompiledRule): number {
  return a.condition.cost - b.condition.cost || a.order - b.order;
}
