import type { ServerResponse } from 'node:http';
import { toHttpError } from './http-error.mapper';
import { sendJson } from './http-send';

/** The JSON error answer for any error. Returns the status sent. */
export function sendHttpError(res: ServerResponse, error: unknown): number {
  const { status, headers, body } = toHttpError(error);
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  sendJson(res, status, body, headers);
  return status;
}
