import type { ErrorRequestHandler, Response } from 'express';
import { toHttpError } from './http-error.mapper';

export function sendHttpError(res: Response, error: unknown): void {
  const { status, headers, body } = toHttpError(error);
  res.status(status).set(headers).send(JSON.stringify(body));
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
    const mapped = toHttpError(error);
    onError(error, mapped.status);
    res.status(mapped.status).set(mapped.headers).send(JSON.stringify(mapped.body));
  };
}
