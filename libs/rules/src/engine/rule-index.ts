import { actionIndex } from '../model/action-bits';
import { entryMatchesType } from '../resource-filter/resource-filter';
import type { CompiledRule } from './compiled-rule';

const ACTION_COUNT = 13;
/** Resource types come from the repository, but bound the cache anyway. */
const MAX_CACHED_TYPES = 1_024;

/**
 * Candidate rules per (resource type, action bit, context), computed once per combination and then
 * reused, so a request touches only rules that could grant it. Id-specific filter entries
 * (`Stream_<guid>`) live in a map and are merged in only for that resource.
 * Candidates are ordered cheap-first (whole rules are independent, so order cannot change the
 * union; it only makes the first grant arrive sooner).
 */
export class RuleIndex {
  private readonly typeRules: readonly CompiledRule[];
  private readonly idRules = new Map<string, CompiledRule[]>();
  private readonly slots = new Map<string, (readonly CompiledRule[] | undefined)[]>();

  constructor(rules: readonly CompiledRule[]) {
    const sorted = [...rules].sort(byCost);
    this.typeRules = sorted.filter((rule) => rule.filter.some((entry) => entry.kind !== 'id'));
    for (const rule of sorted) {
      for (const entry of rule.filter) {
        if (entry.kind !== 'id') continue;
        const key = idKey(entry.type, entry.id);
        const list = this.idRules.get(key) ?? [];
        if (!list.includes(rule)) list.push(rule);
        this.idRules.set(key, list);
      }
    }
  }

  /** `lowerType` must be lower-cased; `contextBit` is CONTEXT_BIT.hub or .management. */
  candidates(lowerType: string, resourceId: string, bit: number, contextBit: number): readonly CompiledRule[] {
    const slotIndex = (contextBit - 1) * ACTION_COUNT + actionIndex(bit);
    let slot = this.slots.get(lowerType);
    if (slot === undefined && this.slots.size < MAX_CACHED_TYPES) {
      slot = new Array<readonly CompiledRule[] | undefined>(ACTION_COUNT * 2);
      this.slots.set(lowerType, slot);
    }
    let list = slot?.[slotIndex];
    if (list === undefined) {
      list = this.typeRules.filter((r) => applies(r, bit, contextBit) && r.filter.some((e) => entryMatchesType(e, lowerType)));
      if (slot !== undefined) slot[slotIndex] = list;
    }
    if (this.idRules.size === 0) return list;
    const specific = this.idRules.get(idKey(lowerType, resourceId.toLowerCase()));
    if (specific === undefined) return list;
    const base = list;
    const extra = specific.filter((r) => applies(r, bit, contextBit) && !base.includes(r));
    return extra.length === 0 ? list : [...list, ...extra].sort(byCost);
  }
}

function applies(rule: CompiledRule, bit: number, contextBit: number): boolean {
  return (rule.actions & bit) !== 0 && (rule.contexts & contextBit) !== 0;
}

function idKey(type: string, id: string): string {
  return `${type}\u0000${id}`;
}

function byCost(a: CompiledRule, b: CompiledRule): number {
  return a.condition.cost - b.condition.cost || a.order - b.order;
}
