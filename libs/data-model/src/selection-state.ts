import type { Bitset } from './bitset';

/**
 * A session's selections: per field id the selected symbols (never empty — clearing removes the
 * entry). Immutable, so a state can be shared by computed results and undo stacks safely.
 */
export class SelectionState {
  private static readonly EMPTY = new SelectionState(new Map());

  private constructor(private readonly byField: ReadonlyMap<number, Bitset>) {}

  static empty(): SelectionState {
    return SelectionState.EMPTY;
  }

  get size(): number {
    return this.byField.size;
  }

  get(fieldId: number): Bitset | undefined {
    return this.byField.get(fieldId);
  }

  fieldIds(): number[] {
    return [...this.byField.keys()];
  }

  /** A copy with `fieldId` set to `symbols` (null or empty clears it). */
  with(fieldId: number, symbols: Bitset | null): SelectionState {
    const next = new Map(this.byField);
    if (symbols === null || symbols.isEmpty()) next.delete(fieldId);
    else next.set(fieldId, symbols);
    return next.size === 0 ? SelectionState.EMPTY : new SelectionState(next);
  }
}
