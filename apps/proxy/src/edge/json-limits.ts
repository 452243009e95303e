import { EdgeError, EdgeErrorCode } from './edge.error';

/**
 * JSON nesting bound, checked on the text before JSON.parse builds anything: deep nesting costs
 * recursion in every consumer (validators, rule evaluation, logging) while a legitimate API body is
 * shallow. The scan is one pass, tracks strings and escapes, and stops as soon as the bound is passed.
 */
export const DEFAULT_MAX_JSON_DEPTH = 32;

export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses a JSON text with a depth bound; 400-class EdgeErrors for too deep or malformed input. */
export function parseBoundedJson(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  if (jsonDepthExceeds(text, maxDepth)) throw new EdgeError(EdgeErrorCode.JsonTooDeep, `JSON nested deeper than ${maxDepth} levels`, { field: 'body' });
  try {
    return JSON.parse(text);
  } catch {
    throw new EdgeError(EdgeErrorCode.InvalidRequest, 'body is not valid JSON', { field: 'body' });
  }
}
