/**
 * Bounds on what one request may ask of the engine. QIX clients can request billions of cells or
 * rows in one call; these keep every answer (and the work behind it) bounded.
 */
export const MAX_PAGE_CELLS = 10_000;
export const MAX_PAGES_PER_REQUEST = 100;
export const MAX_LIST_PAGE = 10_000;
export const MAX_TABLE_DATA_ROWS = 10_000;
export const MAX_TABLE_DATA_CELLS = 100_000;
/** Distinct dimension combinations a hypercube may hold before we refuse it. */
export const MAX_CUBE_TUPLES = 2_000_000;
/** (row, combination) pairs an aggregation may expand to (many-to-many paths multiply rows). */
export const MAX_CUBE_PAIRS = 20_000_000;
export const MAX_EXPRESSION_LENGTH = 10_000;
export const MAX_EXPRESSION_DEPTH = 64;
export const MAX_AGGREGATES = 64;
export const MAX_DIMENSIONS = 16;
export const MAX_MEASURES = 64;
/** Wall-clock bound on evaluating one hypercube's or Evaluate's expressions (set analysis, Aggr, functions). */
export const MAX_EXPRESSION_EVAL_MS = 10_000;
