import { readPath } from './json-path';
import type { OrderKey } from './qrs-filter-ast';
import { QrsFilterError } from './qrs-filter.error';
import { QRS_FILTER_LIMITS } from './qrs-filter-parser';

const MAX_KEYS = 8;
const KEY = /^\s*([A-Za-z_@][A-Za-z0-9_@]*(?:\.[A-Za-z_@][A-Za-z0-9_@]*)*)(?:\s+(asc|desc))?\s*$/i;

/** `orderby=name asc, modifiedDate desc` → keys; errors carry the 0-based position of the bad key. */
export function parseOrderBy(text: string): OrderKey[] {
  if (typeof text !== 'string') throw new QrsFilterError(0, 'orderby must be a string');
  if (text.length > QRS_FILTER_LIMITS.maxLength) throw new QrsFilterError(QRS_FILTER_LIMITS.maxLength, 'orderby too long');
  const keys: OrderKey[] = [];
  let offset = 0;
  for (const part of text.split(',')) {
    const m = KEY.exec(part);
    if (m === null) throw new QrsFilterError(offset + (part.length - part.trimStart().length), "expected 'field [asc|desc]'");
    if (keys.length >= MAX_KEYS) throw new QrsFilterError(offset, `more than ${MAX_KEYS} orderby keys`);
    const path = (m[1] as string).split('.');
    if (path.length > QRS_FILTER_LIMITS.maxPathSegments) throw new QrsFilterError(offset, 'field path too long');
    keys.push({ path, direction: (m[2]?.toLowerCase() ?? 'asc') as 'asc' | 'desc' });
    offset += part.length + 1;
  }
  return keys;
}

/**
 * Comparator for Array.prototype.sort (stable): null/absent sort first ascending (smallest, as in
 * OData), numbers numerically, strings case-insensitively, booleans false < true; values of
 * different kinds order by kind so the comparator stays consistent.
 */
export function compileOrderBy(keys: readonly OrderKey[]): (a: unknown, b: unknown) => number {
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(readPath(a, key.path)[0], readPath(b, key.path)[0]);
      if (order !== 0) return key.direction === 'asc' ? order : -order;
    }
    return 0;
  };
}

function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'boolean') return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  return 4;
}

function compareValues(a: unknown, b: unknown): number {
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== rb) return ra - rb;
  if (ra === 2) return Math.sign((a as number) - (b as number)) || 0;
  if (ra === 1) return Number(a) - Number(b);
  if (ra === 3) {
    const [x, y] = [(a as string).toLowerCase(), (b as string).toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return 0;
}
