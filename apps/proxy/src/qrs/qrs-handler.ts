import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { noContent, sendJson } from '../edge/http-send';
import { readJsonBody } from '../edge/json-body.middleware';
import { queryOf } from '../auth/request-facts';
import { executeQrs } from './qrs-executor';
import { routeQrs } from './qrs-route-table';
import { streamReload } from './reload-stream';
import { streamedQrs } from './qrs-streamed';

/** One `/qrs` request, on either listener, for an already authenticated user. */
export async function qrsHandler(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, qrsPath: string, user: AssertedUser): Promise<void> {
  const route = routeQrs(req.method ?? 'GET', qrsPath);
  if (!route.ok) {
    const code = route.status === 404 ? ErrorCode.NotFound : ErrorCode.InvalidArgument;
    throw new ServiceError(code, route.message, route.field ? { field: route.field } : {});
  }
  const c = route.call;
  if (c.op === 'download-app' || c.op === 'download-scriptlog' || c.op === 'upload') {
    await streamedQrs(deps, req, res, c, user);
    return;
  }
  const body = req.method === 'POST' || req.method === 'PUT' ? await readJsonBody(req, res, { maxBytes: deps.maxBodyBytes }) : undefined;
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
