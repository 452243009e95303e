import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { toHttpError } from './http-error.mapper';
import { sendJson } from './http-send';

/** The JSON error answer for any error (node response; express's is one too). Returns the status sent. */
export function sendHttpError(res: ServerResponse, error: unknown): number {
  const { status, headers, body } = toHttpError(error);
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  sendJson(res, status, body, headers);
  return status;
}

/**
 * Express error handler (register last): turns anything passed to `next(err)` into the JSON error
 * shape. `onError` sees the original error for logging (internal detail lives there, not in the body).
 */
export function httpErrorHandler(onError: (error: unknown, status: number) => void = () => undefined): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    onError(error, sendHttpError(res, error));
  };
}
