import WebSocket from 'ws';
import { httpRequest, type RunningSite } from '@trustzone/site-harness';

type Reply = { result?: Record<string, unknown>; error?: { code: number; message: string } };

/** A refused call: the QIX error code as `code`. */
export class QixCallError extends Error {
  constructor(method: string, readonly code: number, message: string) {
    super(`${method}: ${code} ${message}`);
  }
}

/**
 * A raw QIX JSON-RPC connection over the proxy's websocket as the browser session holding `cookie`
 * on virtual proxy `prefix` (none: the default one), as a browser would open it (used by the tests
 * to build an app's sheets, charts and bookmarks as its owner would, and to read what a user sees).
 */
export async function qixAs(site: RunningSite, q: { appId: string; origin: string; cookie: string; prefix?: string }): Promise<{ call(handle: number, method: string, params: unknown): Promise<Record<string, unknown>>; close(): void }> {
  const at = q.prefix ? `/${q.prefix}` : '';
  const me = await httpRequest(site, site.ports.proxy, `${at}/qps/user`, { headers: { Cookie: q.cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}${at}/app/${q.appId}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: q.cookie, Origin: q.origin } });
  const replies = new Map<number, (m: Reply) => void>();
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString('utf8')) as Reply & { id?: number };
    if (m.id !== undefined) replies.get(m.id)?.(m);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let next = 1;
  return {
    call: (handle, method, params) =>
      new Promise((resolve, reject) => {
        const id = next++;
        replies.set(id, (m) => (m.error ? reject(new QixCallError(method, m.error.code, m.error.message)) : resolve(m.result ?? {})));
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params }));
      }),
    close: () => ws.close(),
  };
}

/**
 * A QIX socket opened as the session holding `cookie` on virtual proxy `prefix`, recording the method
 * of every notification the engine or proxy pushes, and resolving `closed` when the socket closes
 * (the logout tests: the session's open sockets must be told OnSessionLoggedOut and closed).
 */
export async function watchedQixSocket(site: RunningSite, q: { appId: string; origin: string; cookie: string; prefix: string }): Promise<{ methods: string[]; closed: Promise<number> }> {
  const me = await httpRequest(site, site.ports.proxy, `/${q.prefix}/qps/user`, { headers: { Cookie: q.cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/${q.prefix}/app/${q.appId}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: q.cookie, Origin: q.origin } });
  const methods: string[] = [];
  ws.on('message', (data: Buffer) => methods.push(String((JSON.parse(data.toString('utf8')) as { method?: string }).method)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { methods, closed: new Promise<number>((resolve) => ws.once('close', resolve)) };
}
