import type { CompareOp } from '../condition/condition-ast';
import { RulesError, RulesErrorCode } from '../rules.error';

/**
 * Multi-valued comparison semantics (security-rules.md "Multi-valued properties"):
 * a side is a string, a list of strings, or missing (null/undefined/empty list). The comparison is
 * true when ANY value — or, with two multi-valued sides, any pair — satisfies the operator; a
 * missing side makes every operator false. So `!=` means "some value differs", not "none equals".
 */
export type ValueTest = (value: string) => boolean;
export type PairTest = (left: string, right: string) => boolean;

export function anyValue(raw: unknown, test: ValueTest): boolean {
  if (typeof raw === 'string') return test(raw);
  if (raw === null || raw === undefined) return false;
  if (!Array.isArray(raw)) throw malformed();
  for (let i = 0; i < raw.length; i++) {
    const value: unknown = raw[i];
    if (typeof value !== 'string') throw malformed();
    if (test(value)) return true;
  }
  return false;
}

export function anyPair(left: unknown, right: unknown, test: PairTest): boolean {
  const rights = asList(right);
  if (rights.length === 0) return false;
  return anyValue(left, (l) => {
    for (const r of rights) if (test(l, r)) return true;
    return false;
  });
}

export function isMissing(raw: unknown): boolean {
  if (raw === null || raw === undefined) return true;
  if (typeof raw === 'string') return false;
  if (Array.isArray(raw)) return raw.length === 0;
  throw malformed();
}

function asList(raw: unknown): readonly string[] {
  if (typeof raw === 'string') return [raw];
  if (raw === null || raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) throw malformed();
  return raw as readonly string[];
}

export function equalsIgnoreCase(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Predicate against a literal, with the literal's lower case computed once. */
export function literalTest(op: '=' | '!=' | '==' | '!==', literal: string): ValueTest {
  const lower = literal.toLowerCase();
  switch (op) {
    case '=':
      return (v) => v === literal || v.toLowerCase() === lower;
    case '!=':
      return (v) => v !== literal && v.toLowerCase() !== lower;
    case '==':
      return (v) => v === literal;
    case '!==':
      return (v) => v !== literal;
  }
}

export function pairTest(op: '=' | '!=' | '==' | '!=='): PairTest {
  switch (op) {
    case '=':
      return equalsIgnoreCase;
    case '!=':
      return (a, b) => !equalsIgnoreCase(a, b);
    case '==':
      return (a, b) => a === b;
    case '!==':
      return (a, b) => a !== b;
  }
}

export function isEqualityOp(op: CompareOp): op is '=' | '!=' | '==' | '!==' {
  return op === '=' || op === '!=' || op === '==' || op === '!==';
}

function malformed(): RulesError {
  return new RulesError(RulesErrorCode.INVALID_INPUT, 'malformed value in the entity snapshot (expected a string or a list of strings)');
}
