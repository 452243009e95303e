import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../edge/http-send';
import type { AssertedUser } from '@trustzone/contracts';
import type { ProxyDeps } from '../client/proxy-deps';

/**
 * POST /qrs/app/{id}/reload: the engine runs the load script in its sandbox and streams progress.
 * Plain clients get one answer when the reload is done — 200 `{"status":"succeeded","tables","durationMs"}`
 * or 422 `{"status":"failed","error":{"line","column","message"}}`. A client asking for
 * `application/x-ndjson` (the `tz` CLI) also gets every progress event as a line while it runs,
 * and `{"type":"queued","position"}` while it waits for a slot of the engine. An engine at its
 * reload limits refuses before any line: 429 with Retry-After.
 */
export async function streamReload(deps: ProxyDeps, req: IncomingMessage, res: ServerResponse, appId: string, user: AssertedUser): Promise<void> {
  const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let headSent = false;
  const send = (line: object) => {
    if (!headSent) {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/x-ndjson');
      res.setHeader('Cache-Control', 'no-store');
      headSent = true;
    }
    res.write(JSON.stringify(line) + '\n');
  };
  for await (const ev of deps.upstreams.engines.pick().client.serverStream('Reload', { appId }, { deadlineMs: deps.reloadDeadlineMs, user, signal: abort.signal })) {
    if (ev.progress) {
      if (streaming) send({ type: 'progress', table: ev.progress.name, rows: ev.progress.rows });
      continue;
    }
    if (ev.queued) {
      if (streaming) send({ type: 'queued', position: ev.queued.position });
      continue;
    }
    if (!ev.done) continue;
    const d = ev.done;
    const result = d.succeeded
      ? { status: 'succeeded', tables: d.tables.map((t) => ({ name: t.name, rows: t.rows })), durationMs: d.durationMs }
      : { status: 'failed', error: { line: d.error?.line ?? 0, column: d.error?.column ?? 0, message: d.error?.message ?? 'reload failed' }, durationMs: d.durationMs };
    if (streaming) {
      send({ type: 'done', ...result });
      res.end();
    } else {
      sendJson(res, d.succeeded ? 200 : 422, result, { 'Cache-Control': 'no-store' });
    }
    return;
  }
  throw new Error('engine ended the reload stream without a result');
}
