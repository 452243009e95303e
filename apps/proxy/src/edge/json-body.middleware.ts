import type { IncomingMessage, ServerResponse } from 'node:http';
import { EdgeError, EdgeErrorCode } from './edge.error';
import { DEFAULT_MAX_JSON_DEPTH, parseBoundedJson } from './json-limits';

export interface JsonBodyOptions {
  maxBytes?: number;
  maxDepth?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): EdgeError {
  return new EdgeError(EdgeErrorCode.PayloadTooLarge, `body larger than ${maxBytes} bytes`, { field: 'body' });
}

/**
 * An over-limit body that declared its length and is at most this long is still read and
 * discarded after the 413 (Node dumps an unread body on a kept-alive connection), so the client
 * reads the 413 instead of a reset while it is still sending: a bounded lingering close, as nginx
 * does. Longer or undeclared (chunked) bodies get `Connection: close` at once, since nothing bounds
 * what the client would still send; the request timeout bounds a slow one either way.
 */
export const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/** Call before answering 413: keeps the connection to drain a bounded body, closes it otherwise. */
export function prepareOversizeAnswer(req: IncomingMessage, res: ServerResponse): void {
  const declared = Number(req.headers['content-length']);
  const drainable = req.headers['transfer-encoding'] === undefined && Number.isFinite(declared) && declared <= DRAIN_LIMIT_BYTES;
  if (!drainable) res.setHeader('Connection', 'close');
}

/**
 * Reads a request body up to `maxBytes`: a declared Content-Length over the limit fails before a byte
 * is read, and a chunked body fails as soon as it passes the limit (reading stops; the caller should
 * answer with `Connection: close`). Compressed bodies are refused: inflating them is a zip-bomb risk.
 */
export function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    return Promise.reject(new EdgeError(EdgeErrorCode.InvalidRequest, 'compressed request bodies are not accepted', { field: 'content-encoding' }));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(new EdgeError(EdgeErrorCode.InvalidRequest, 'request body could not be read', { cause: e }));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * The JSON body of a request (Content-Type application/json or +json), bounded in size (413, with
 * prepareOversizeAnswer) and depth (400); undefined when the request has no body. The one reader of
 * JSON bodies (the /qrs handler and the /qps API routes).
 */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, options: JsonBodyOptions = {}): Promise<unknown> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new EdgeError(EdgeErrorCode.InvalidRequest, 'body must be application/json', { field: 'content-type' });
  }
  let buffer: Buffer;
  try {
    buffer = await readBoundedBody(req, maxBytes);
  } catch (e) {
    if (e instanceof EdgeError && e.code === EdgeErrorCode.PayloadTooLarge) prepareOversizeAnswer(req, res);
    throw e;
  }
  return parseBoundedJson(buffer.toString('utf8'), options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH);
}
