import type { DocContext } from './doc-context';
import type { HandleEntry, HandleTable } from './handle-table';
import type { MethodArgs } from './method-args';
import type { QixLimits } from './qix-limits';
import type { QixSessionDeps } from './qix-session.types';

/** The schema struct a handle answers for: Global (-1) or a HandleEntry type. */
export type ObjectType = 'Global' | HandleEntry['type'];

/**
 * How a method's result is named (see the reference: "Result naming"): no out-parameter and a value
 * → `{qReturn}`; no value at all → `{}`; one named out-parameter → `{[name]: value}`; several → the
 * handler returns a record holding exactly those names.
 */
export type OutSpec = 'qReturn' | 'void' | readonly [string, ...string[]];

/** The mutable core of a session that method handlers work on. */
export interface SessionCore {
  readonly deps: QixSessionDeps;
  readonly limits: QixLimits;
  readonly handles: HandleTable;
  doc: DocContext | null;
  /** Gives back a shared selection cell (Qlik identity) when the session closes. */
  releaseCell: (() => void) | null;
  /** Reports this session's object changes to other sessions of the app (set at OpenDoc). */
  objectWatch: { changed(): void; release(): void } | null;
  /** Set while an OpenDoc waits for the app, so a second one is refused. */
  opening: boolean;
  closed: boolean;
}

export interface CallContext {
  readonly core: SessionCore;
  readonly handle: number;
  readonly entry: HandleEntry | { type: 'Global' };
  /** Handles the handler made stale beyond what a selection change implies. */
  readonly change: Set<number>;
  /** Handles the handler destroyed. */
  readonly close: number[];
}

export interface MethodSpec {
  /** Parameter names in the schema's order (named params are mapped by them). */
  params: readonly string[];
  out: OutSpec;
  run(ctx: CallContext, args: MethodArgs): unknown;
}

export type MethodTable = Readonly<Record<string, MethodSpec>>;
