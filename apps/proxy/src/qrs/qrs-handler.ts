import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { noContent, sendJson } from '../edge/http-send';
import { prepareOversizeAnswer, readBoundedBody } from '../edge/json-body.middleware';
import { parseBoundedJson } from '../edge/json-limits';
import { queryOf } from '../auth/request-facts';
import { executeQrs } from './qrs-executor';
import { routeQrs } from './qrs-route-table';
import { streamReload } from './reload-stream';

/** The JSON body, bounded: 413 over the size limit (see prepareOversizeAnswer), 400 too deep or not JSON. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<unknown> {
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
  return parseBoundedJson(buffer.toString('utf8'));
}

/** One `/qrs` request, on either listener, for an already authenticated user. */
export async function qrsHandler(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, qrsPath: string, user: AssertedUser): Promise<void> {
  const route = routeQrs(req.method ?? 'GET', qrsPath);
  if (!route.ok) {
    const code = route.status === 404 ? ErrorCode.NotFound : ErrorCode.InvalidArgument;
    throw new ServiceError(code, route.message, route.field ? { field: route.field } : {});
  }
  const body = req.method === 'POST' || req.method === 'PUT' ? await readJsonBody(req, res, deps.maxBodyBytes) : undefined;
  if (route.call.op === 'reload') {
    await streamReload(deps, req, res, route.call.id, user);
    return;
  }
  const out = await executeQrs(deps.upstreams, { call: route.call, query: queryOf(req.url ?? '/'), body, user }, deps.deadlineMs);
  // The repository's JSON text passes through as it is.
  res.setHeader('Cache-Control', 'no-store');
  if (out.status === 204) noContent(res);
  else sendJson(res, out.status, out.json);
}
