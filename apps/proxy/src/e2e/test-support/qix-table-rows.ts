import WebSocket from 'ws';
import { httpRequest, type RunningSite } from '@trustzone/site-harness';

type Reply = { result?: Record<string, unknown>; error?: { code: number } };

/**
 * A minimal QIX JSON-RPC client over the proxy's websocket, as a browser session holding `cookie`
 * on virtual proxy `prefix` would open it: OpenDoc, then the row count of `table` the user sees
 * (section access applied), or the QIX error code when the app is refused.
 */
export async function tableRowsSeenBy(site: RunningSite, q: { prefix: string; appId: string; origin: string; cookie: string; table: string }): Promise<number | { denied: number }> {
  const me = await httpRequest(site, site.ports.proxy, `/${q.prefix}/qps/user`, { headers: { Cookie: q.cookie } });
  const token = (me.json as { csrfToken: string }).csrfToken;
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/${q.prefix}/app/${q.appId}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: q.cookie, Origin: q.origin } });
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
  const call = (handle: number, method: string, params: unknown[]) =>
    new Promise<Reply>((resolve) => {
      const id = next++;
      replies.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params }));
    });
  try {
    const opened = await call(-1, 'OpenDoc', [q.appId]);
    if (opened.error) return { denied: opened.error.code };
    const doc = (opened.result?.['qReturn'] as { qHandle: number }).qHandle;
    const tables = await call(doc, 'GetTablesAndKeys', [{ qcx: 1000, qcy: 1000 }, { qcx: 0, qcy: 0 }, 30, false, false]);
    const qtr = tables.result?.['qtr'] as { qName: string; qNoOfRows: number }[];
    return qtr.find((t) => t.qName === q.table)?.qNoOfRows ?? -1;
  } finally {
    ws.close();
  }
}
