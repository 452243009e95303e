import type { Request, Response } from 'express';
import { ErrorCode, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { boundedJsonBody } from '../edge/json-body.middleware';
import { queryOf } from '../auth/request-facts';
import { executeQrs } from './qrs-executor';
import { routeQrs } from './qrs-route-table';
import { streamReload } from './reload-stream';

/** Reads the JSON body (bounded: 413 over the size limit, 400 too deep or not JSON) into req.body. */
function readJsonBody(req: Request, res: Response, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    boundedJsonBody({ maxBytes })(req, res, (err?: unknown) => (err ? reject(err) : resolve(req.body as unknown)));
  });
}

/** One `/qrs` request, on either listener, for an already authenticated user. */
export async function qrsHandler(deps: ProxyDeps, req: Request, res: Response, qrsPath: string, user: AssertedUser): Promise<void> {
  const route = routeQrs(req.method, qrsPath);
  if (!route.ok) {
    const code = route.status === 404 ? ErrorCode.NotFound : ErrorCode.InvalidArgument;
    throw new ServiceError(code, route.message, route.field ? { field: route.field } : {});
  }
  const body = req.method === 'POST' || req.method === 'PUT' ? await readJsonBody(req, res, deps.maxBodyBytes) : undefined;
  if (route.call.op === 'reload') {
    await streamReload(deps, req, res, route.call.id, user);
    return;
  }
  const out = await executeQrs(deps.upstreams, { call: route.call, query: queryOf(req.originalUrl), body, user }, deps.deadlineMs);
  // Plain node writes: the repository's JSON text passes through as it is.
  res.setHeader('Cache-Control', 'no-store');
  if (out.status === 204) {
    res.status(204).end();
    return;
  }
  res.statusCode = out.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(out.json));
  res.end(out.json);
}
