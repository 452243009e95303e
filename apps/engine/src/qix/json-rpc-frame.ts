import { exceedsJsonDepth } from '@trustzone/contracts';
import { QixError, QixErrorCode } from './qix.error';
import type { QixLimits } from './qix-limits';

export type RequestId = number | string;

/** A well-formed JSON-RPC 2.0 request of the QIX protocol. */
export interface QixRequest {
  id: RequestId;
  method: string;
  handle: number;
  /** Positional or named, as the client sent them (mapped later by the method's schema). */
  params: unknown[] | Record<string, unknown>;
}

export type FrameParse = { ok: true; request: QixRequest } | { ok: false; id: RequestId | null; error: QixError };

const MAX_ID_LENGTH = 128;
const MAX_METHOD_LENGTH = 100;

/**
 * Parse one client frame, bounded in size and nesting before JSON.parse runs. Whatever is wrong
 * becomes a JSON-RPC error (parse error, invalid request) carrying the request id when one could be
 * read, so the client can match it; nothing here throws.
 */
export function parseRequestFrame(text: unknown, limits: Pick<QixLimits, 'maxFrameBytes' | 'maxJsonDepth'>): FrameParse {
  if (typeof text !== 'string') return fail(null, QixErrorCode.PARSE_ERROR, 'a frame is a JSON text');
  // Characters never outnumber UTF-8 bytes, so the cheap length test rejects most oversize frames.
  if (text.length > limits.maxFrameBytes || Buffer.byteLength(text, 'utf8') > limits.maxFrameBytes) {
    return fail(null, QixErrorCode.INVALID_REQUEST, `frame larger than ${limits.maxFrameBytes} bytes`);
  }
  if (exceedsJsonDepth(text, limits.maxJsonDepth)) {
    return fail(null, QixErrorCode.INVALID_REQUEST, `JSON nested deeper than ${limits.maxJsonDepth} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(null, QixErrorCode.PARSE_ERROR, 'Parse error');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(null, QixErrorCode.INVALID_REQUEST, 'a request is a JSON object (batches are not supported)');
  }
  const frame = value as Record<string, unknown>;
  const id = readId(frame['id']);
  if (id === null) return fail(null, QixErrorCode.INVALID_REQUEST, 'a request needs an id (a number or a short string)');
  if (frame['jsonrpc'] !== '2.0') return fail(id, QixErrorCode.INVALID_REQUEST, 'jsonrpc must be "2.0"');
  const method = frame['method'];
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return fail(id, QixErrorCode.INVALID_REQUEST, 'method must be a non-empty string');
  }
  const handle = frame['handle'];
  if (typeof handle !== 'number' || !Number.isSafeInteger(handle)) return fail(id, QixErrorCode.INVALID_REQUEST, 'handle must be an integer');
  const params = frame['params'] ?? [];
  if (params === null || typeof params !== 'object') return fail(id, QixErrorCode.INVALID_REQUEST, 'params must be an array or an object');
  return { ok: true, request: { id, method, handle, params: params as unknown[] | Record<string, unknown> } };
}

function readId(id: unknown): RequestId | null {
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH) return id;
  return null;
}

function fail(id: RequestId | null, code: QixErrorCode, message: string): FrameParse {
  return { ok: false, id, error: new QixError(code, message) };
}
