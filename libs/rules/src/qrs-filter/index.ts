export type { OrderKey, QrsFilterExpr, QrsOp, QrsValue } from './qrs-filter-ast';
export { QRS_OPS } from './qrs-filter-ast';
export { QrsFilterError } from './qrs-filter.error';
export { QRS_FILTER_LIMITS, parseQrsFilter } from './qrs-filter-parser';
export type { QrsPredicate } from './qrs-filter-compiler';
export { compileQrsExpr, compileQrsFilter } from './qrs-filter-compiler';
export { compileOrderBy, parseOrderBy } from './qrs-orderby';
export { readPath } from './json-path';
