import { exceedsJsonDepth } from '@trustzone/contracts';
import { EdgeError, EdgeErrorCode } from './edge.error';

/**
 * JSON nesting bound, checked on the text before JSON.parse builds anything: deep nesting costs
 * recursion in every consumer (validators, rule evaluation, logging) while a legitimate API body is
 * shallow. The scan (exceedsJsonDepth, shared with the engine's QIX frames) stops at the bound.
 */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** Parses a JSON text with a depth bound; 400-class EdgeErrors for too deep or malformed input. */
export function parseBoundedJson(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown {
  if (exceedsJsonDepth(text, maxDepth)) throw new EdgeError(EdgeErrorCode.JsonTooDeep, `JSON nested deeper than ${maxDepth} levels`, { field: 'body' });
  try {
    return JSON.parse(text);
  } catch {
    throw new EdgeError(EdgeErrorCode.InvalidRequest, 'body is not valid JSON', { field: 'body' });
  }
}
