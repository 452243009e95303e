import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, fromGrpcError, ServiceError, type AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';
import { queryOf } from '../auth/request-facts';
import { sendJson } from '../edge/http-send';
import { guidParam, queryParam } from './qrs-query';
import type { StreamedQrsCall } from './qrs-route-table';

/** The upload chunk forwarded to the engine per message (far below the 16 MiB gRPC limit). */
const UPLOAD_CHUNK = 256 * 1024;

/**
 * The `/qrs` calls whose bodies are files: app downloads (export), script log downloads and app
 * uploads. Files are streamed, never held whole here: an upload goes to the engine chunk by chunk
 * (with backpressure) after the repository accepted the caller's rights (a refused caller's bytes
 * are never read), and the engine bounds the size.
 */
export async function streamedQrs(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, call: StreamedQrsCall, user: AssertedUser): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  switch (call.op) {
    case 'download-app':
      return downloadApp(deps, res, call, user);
    case 'download-scriptlog': {
      const log = await deps.upstreams.repository.unary('DownloadScriptLog', { ticket: call.ticket, appId: '' }, { deadlineMs: deps.deadlineMs, user });
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${log.fileName}"`);
      res.end(log.text);
      return;
    }
    case 'upload':
      return upload(deps, req, res, call.replace, user);
  }
}

async function downloadApp(deps: ProxyDeps, res: ServerResponse, call: Extract<StreamedQrsCall, { op: 'download-app' }>, user: AssertedUser): Promise<void> {
  const engine = deps.upstreams.engines.pick();
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let started = false;
  try {
    for await (const chunk of engine.client.serverStream('ExportApp', { appId: call.id, ticket: call.ticket }, { deadlineMs: deps.reloadDeadlineMs, user, signal: abort.signal })) {
      if (!started) {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Disposition', `attachment; filename="${call.fileName.replace(/[^A-Za-z0-9._% -]/g, '_')}"`);
        started = true;
      }
      if (!res.write(chunk.data)) await new Promise((r) => res.once('drain', r));
    }
  } catch (e) {
    if (!started) throw e;
    res.destroy();
    return;
  }
  if (!started) throw new ServiceError(ErrorCode.Internal, 'the engine sent no export');
  res.end();
}

async function upload(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, replace: boolean, user: AssertedUser): Promise<void> {
  const query = queryOf(req.url ?? '/');
  const name = queryParam(query, 'name', !replace);
  const target = replace ? guidParam(query, 'targetAppId') : '';
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') throw new ServiceError(ErrorCode.InvalidArgument, 'compressed uploads are not accepted', { field: 'content-encoding' });
  const declared = Number(req.headers['content-length'] ?? 0);
  const opts = { deadlineMs: deps.deadlineMs, user };
  // Rights first: a caller who may not create (or replace) the app sends its file nowhere (and the
  // connection closes after the answer rather than reading the rest of the body).
  try {
    await deps.upstreams.repository.unary('RegisterAppImport', { name, manifestJson: '', targetAppId: target, dryRun: true, appId: '' }, opts);
  } catch (e) {
    res.setHeader('Connection', 'close');
    throw e;
  }

  const stream = deps.upstreams.engines.pick().client.bidi('ImportApp', { deadlineMs: deps.reloadDeadlineMs, user });
  const answer = new Promise<string>((resolve, reject) => {
    let json: string | undefined;
    stream.on('data', (m: { json: string }) => {
      json = m.json;
    });
    stream.on('error', (e: Error) => reject(fromGrpcError(e)));
    stream.on('end', () => (json === undefined ? reject(new ServiceError(ErrorCode.Internal, 'the engine ended the import without an answer')) : resolve(json)));
  });
  stream.write({ start: { name, targetAppId: target, declaredBytes: Number.isFinite(declared) ? declared : 0 } });
  let failed = false;
  answer.catch(() => {
    failed = true;
  });
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (failed) break;
      for (let at = 0; at < chunk.length; at += UPLOAD_CHUNK) {
        if (!stream.write({ data: chunk.subarray(at, at + UPLOAD_CHUNK) })) await new Promise((r) => stream.once('drain', r));
      }
    }
  } finally {
    stream.end();
  }
  let json: string;
  try {
    json = await answer;
  } catch (e) {
    // The engine stopped reading (too large, refused): do not keep a connection that still sends.
    if (!req.readableEnded) res.setHeader('Connection', 'close');
    throw e;
  }
  sendJson(res, replace ? 200 : 201, json);
}
