import { compileOrderBy, compileQrsFilter, parseOrderBy, type QrsPredicate } from '@trustzone/rules';
import { viaRules } from '../errors/rules-error.mapper';

export interface ListQuery {
  filter: string;
  orderby: string;
  full: boolean;
  countOnly: boolean;
  privileges: boolean;
}

export interface CompiledListQuery {
  predicate: QrsPredicate | undefined;
  compare: ((a: unknown, b: unknown) => number) | undefined;
}

/** Parses filter and orderby up front, so a malformed one fails with its position before any work. */
export function compileListQuery(q: ListQuery): CompiledListQuery {
  const predicate = q.filter.trim() === '' ? undefined : viaRules('filter', () => compileQrsFilter(q.filter));
  const compare = q.orderby.trim() === '' ? undefined : viaRules('orderby', () => compileOrderBy(parseOrderBy(q.orderby)));
  return { predicate, compare };
}
