import type WebSocket from 'ws';
import { startAttackSite, type AttackSite } from '../attack-site';
import { connectQix, rawUpgrade, rpc, type EnigmaDoc, type QixConnection } from '../qix-client';
import { SALES_SCRIPT } from '../sales-data';
import { createApp, everyoneStream, publish } from '../site-content';

/** A reduced user's open session: its doc and every frame it has received. */
export interface ReducedSession {
  user: 'CORP\\ALICE' | 'CORP\\BOB';
  conn: QixConnection;
  doc: EnigmaDoc;
}

/**
 * The live site the fuzzed properties run against: the sales app with section access, two reduced
 * users' sessions (leak invariant), a raw socket for random QIX frames (dave), and a witness
 * session (erin) that must keep answering whatever the others do.
 */
export interface FuzzSite {
  a: AttackSite;
  sales: string;
  reduced: ReducedSession[];
  raw: WebSocket;
  rawDocHandle: number;
  witness: EnigmaDoc;
  witnessSum: string;
  /** A session cookie (of a user with no rights beyond the shipped rules) for fuzzed client requests. */
  cookie: string;
  close(): Promise<void>;
}

export async function startFuzzSite(): Promise<FuzzSite> {
  // Every client shares 127.0.0.1: lift the per-IP bucket so fuzzed requests are judged on their content.
  const a = await startAttackSite({ TZ_RATE_IP_PER_SECOND: '100000', TZ_RATE_USER_PER_SECOND: '100000' });
  const conns: QixConnection[] = [];
  try {
    const sales = await createApp(a, 'Sales', SALES_SCRIPT);
    await publish(a, sales, await everyoneStream(a));
    const reduced: ReducedSession[] = [];
    for (const user of ['CORP\\ALICE', 'CORP\\BOB'] as const) {
      const conn = await connectQix(a, await a.login(user), sales);
      conns.push(conn);
      reduced.push({ user, conn, doc: await conn.global.openDoc(sales) });
    }
    const witnessConn = await connectQix(a, await a.login('CORP\\ADMIN'), sales);
    conns.push(witnessConn);
    const witness = await witnessConn.global.openDoc(sales);
    const witnessSum = await witness.evaluate('Sum(AMOUNT)');
    const dave = await a.login('CORP\\ADMIN');
    const up = await rawUpgrade(a, `/app/${sales}?qlik-csrf-token=${encodeURIComponent(await a.csrfToken(dave))}`, { Cookie: dave, Origin: `https://localhost:${a.site.ports.proxy}` });
    if (!up.socket) throw new Error(`fuzz socket refused: ${up.status}`);
    const opened = await rpc(up.socket, JSON.stringify({ jsonrpc: '2.0', id: 'open', method: 'OpenDoc', handle: -1, params: [sales] }), 'open');
    const rawDocHandle = (opened?.['result'] as { qReturn: { qHandle: number } } | undefined)?.qReturn.qHandle;
    if (rawDocHandle === undefined) throw new Error('fuzz socket could not open the app');
    const cookie = await a.login('CORP\\fuzzer');
    return {
      a, sales, reduced, raw: up.socket, rawDocHandle, witness, witnessSum, cookie,
      async close() {
        up.socket?.close();
        for (const c of conns) await c.close();
        await a.stop();
      },
    };
  } catch (e) {
    for (const c of conns) await c.close();
    await a.stop();
    throw e;
  }
}
